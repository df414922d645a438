"""A tiny Knative-style workload: the README walkthrough, the end-to-end tests and the benchmarks run it
(Debian's /usr/bin/python3, standard library only).

GET /            -> "Hello {TARGET}!"
GET /env         -> JSON of the environment variables PORT and K_*
GET /headers     -> JSON of the request headers
GET /sleep?ms=N  -> waits N ms, then answers "slept N"
POST /echo       -> the request body
Prints "listening on {PORT}" once it serves; on SIGTERM prints "bye" and exits 0.
START_DELAY_MS=N delays listening by N ms (a slow-starting app).
STATS_DIR=D: the highest number of requests this instance ever had in flight at once is kept in D/{PORT}.max.
"""
import json
import os
import threading
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


STATS_DIR = os.environ.get("STATS_DIR")
_lock = threading.Lock()
_in_flight = 0
_max_in_flight = 0


def _enter():
    global _in_flight, _max_in_flight
    with _lock:
        _in_flight += 1
        if _in_flight > _max_in_flight:
            _max_in_flight = _in_flight
            if STATS_DIR:
                with open(os.path.join(STATS_DIR, os.environ["PORT"] + ".max"), "w") as f:
                    f.write(str(_max_in_flight))


def _leave():
    global _in_flight
    with _lock:
        _in_flight -= 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are separate writes: without TCP_NODELAY a reused connection waits ~40 ms per response
    # (Nagle + delayed ACK).
    disable_nagle_algorithm = True

    def do_GET(self):
        _enter()
        try:
            self._get()
        finally:
            _leave()

    def _send(self, code, body, content_type="text/plain"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _get(self):
        url = urlparse(self.path)
        if url.path == "/env":
            env = {k: v for k, v in os.environ.items() if k == "PORT" or k.startswith("K_") or k == "TARGET"}
            self._send(200, json.dumps(env), "application/json")
        elif url.path == "/headers":
            self._send(200, json.dumps({k.lower(): v for k, v in self.headers.items()}), "application/json")
        elif url.path == "/sleep":
            ms = int(parse_qs(url.query).get("ms", ["0"])[0])
            time.sleep(ms / 1000.0)
            self._send(200, f"slept {ms}")
        else:
            self._send(200, f"Hello {os.environ.get('TARGET', 'World')}!\n")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self._send(200, body, self.headers.get("Content-Type") or "application/octet-stream")

    def log_message(self, fmt, *args):
        pass


def main():
    time.sleep(int(os.environ.get("START_DELAY_MS", "0")) / 1000.0)
    port = int(os.environ["PORT"])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)

    def stop(signum, frame):
        print("bye", flush=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    print(f"listening on {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
