namespace Knative.Orleans.Silo.Tests.Drivers;

/// <summary>Small Python programs run as workloads (<c>python3 -u -c</c>).</summary>
internal static class Scripts
{
    /// <summary>
    /// HTTP server on $PORT. <c>/healthz</c> answers 503 for the first $FAIL_FIRST requests and while failing is switched on
    /// (<c>/fail</c>, <c>/ok</c>); <c>/hits</c> counts health requests; <c>/env</c> echoes the environment as JSON.
    /// </summary>
    public const string HttpServer = """
        import http.server, json, os
        state = {'hits': 0, 'fail': False}
        fail_first = int(os.environ.get('FAIL_FIRST', '0'))
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                code, body = 200, 'ok'
                if self.path == '/healthz':
                    state['hits'] += 1
                    if state['hits'] <= fail_first or state['fail']:
                        code = 503
                elif self.path == '/hits':
                    body = str(state['hits'])
                elif self.path == '/env':
                    body = json.dumps(dict(os.environ))
                elif self.path in ('/fail', '/ok'):
                    state['fail'] = self.path == '/fail'
                data = body.encode()
                self.send_response(code)
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(('127.0.0.1', int(os.environ['PORT'])), Handler)
        print('listening on', os.environ['PORT'])
        server.serve_forever()
        """;

    /// <summary>Listens on $PORT; on SIGTERM prints "bye" and exits 0.</summary>
    public const string ByeOnSigterm = """
        import os, signal, socket, sys
        def bye(*args):
            print('bye')
            sys.exit(0)
        signal.signal(signal.SIGTERM, bye)
        s = socket.socket()
        s.bind(('127.0.0.1', int(os.environ['PORT'])))
        s.listen()
        print('listening')
        while True:
            signal.pause()
        """;

    /// <summary>Listens on $PORT and ignores SIGTERM.</summary>
    public const string IgnoresSigterm = """
        import os, signal, socket
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        s = socket.socket()
        s.bind(('127.0.0.1', int(os.environ['PORT'])))
        s.listen()
        print('listening')
        while True:
            signal.pause()
        """;
}
