using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Knative.Orleans.E2E.Tests.Infrastructure;

/// <summary>
/// A real HTTP subscriber: Debian's python3 running an inline server that appends every request (path, headers, body)
/// as a JSON line to a file and answers 200 with an empty body, 500 (body <c>oops</c>) on paths under <c>/fail</c>, and on
/// paths under <c>/reply</c> 200 with a binary reply CloudEvent: id <c>reply-{ce-id}</c>, type <c>{ce-type}.reply</c>.
/// Under <c>/flaky</c> the first request of each <c>ce-id</c> gets 500 and the next ones 200. Under <c>/mixed</c> an event
/// whose id starts with <c>slow</c> is held until 5 more requests arrived on <c>/mixed</c> (at most 20 s, then 500), and
/// its answer is logged as a line with path <c>/mixed/done</c> and body <c>200</c> or <c>500</c>.
/// </summary>
public sealed class EventSubscriber : IAsyncDisposable
{
    private const string Script = """
        import http.server, json, sys, threading
        log = open(sys.argv[2], 'a')
        lock = threading.Lock()
        seen = set()
        mixed = threading.Condition()
        mixed_count = [0]
        class H(http.server.BaseHTTPRequestHandler):
            # HTTP/1.1 keep-alive: with HTTP/1.0 the server closes every connection, and a pooled client connection
            # can race that close, failing an attempt before it reaches us (a real retry, but not what tests count).
            protocol_version = 'HTTP/1.1'
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                line = json.dumps({'path': self.path, 'headers': {k.lower(): v for k, v in self.headers.items()}, 'body': body.decode('utf-8', 'replace')}) + '\n'
                with lock:  # threads share the file: one whole line at a time
                    log.write(line); log.flush()
                if self.path.startswith('/mixed'):
                    with mixed:
                        mixed_count[0] += 1; mixed.notify_all()
                        if self.headers.get('ce-id', '').startswith('slow'):
                            target = mixed_count[0] + 5
                            ok = mixed.wait_for(lambda: mixed_count[0] >= target, timeout=20)
                            with lock:
                                log.write(json.dumps({'path': '/mixed/done', 'headers': {}, 'body': '200' if ok else '500'}) + '\n'); log.flush()
                            if not ok:
                                self.send_response(500); self.send_header('Content-Length', '0'); self.end_headers(); return
                    self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers()
                elif self.path.startswith('/flaky'):
                    with lock:
                        first = self.headers.get('ce-id') not in seen
                        seen.add(self.headers.get('ce-id'))
                    self.send_response(500 if first else 200); self.send_header('Content-Length', '0'); self.end_headers()
                elif self.path.startswith('/fail'):
                    self.send_response(500); self.send_header('Content-Length', '4'); self.end_headers(); self.wfile.write(b'oops')
                elif self.path.startswith('/reply'):
                    out = b'{"reply":true}'
                    self.send_response(200)
                    for k, v in (('ce-specversion', '1.0'), ('ce-id', 'reply-' + self.headers.get('ce-id', '')), ('ce-source', '/replier'),
                                 ('ce-type', self.headers.get('ce-type', '') + '.reply'), ('Content-Type', 'application/json'), ('Content-Length', str(len(out)))):
                        self.send_header(k, v)
                    self.end_headers(); self.wfile.write(out)
                else:
                    self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers()
            def log_message(self, *a): pass
        http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
        """;

    private readonly string _dir;
    private Process? _process;

    public EventSubscriber(string dir, int? port = null)
    {
        _dir = dir;
        Directory.CreateDirectory(dir);
        Port = port ?? PlatformProcess.FreePort();
        File.WriteAllText(ScriptPath, Script);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    private string ScriptPath => Path.Combine(_dir, "subscriber.py");

    private string LogPath => Path.Combine(_dir, "received.jsonl");

    public async Task StartAsync()
    {
        _process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [ScriptPath, Port.ToString(), LogPath]))!;
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = await http.GetAsync(Url);
                return; // 501 for GET is fine: it listens
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("subscriber did not start");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    // Only complete lines: the last segment may still be being written (it has no newline yet).
    public IReadOnlyList<JsonNode> Received() => File.Exists(LogPath)
        ? File.ReadAllText(LogPath).Split('\n')[..^1].Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).ToList()
        : [];

    public async Task<IReadOnlyList<JsonNode>> WaitForAsync(Func<IReadOnlyList<JsonNode>, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var received = Received();
            if (done(received))
            {
                return received;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}; received: {string.Join("\n", received.Select(r => r.ToJsonString()))}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }
}
