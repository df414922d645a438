"""Helpers shared by the bench/*/bench.py drivers (standard library only).

Each driver reads ADMIN_URL, GATEWAY_URL and ADMIN_TOKEN from the environment (bench/platform.sh sets them).
"""
import json
import os
import socket
import subprocess
import time
import urllib.request

ADMIN = os.environ.get("ADMIN_URL", "")
GATEWAY = os.environ.get("GATEWAY_URL", "")
TOKEN = os.environ.get("ADMIN_TOKEN", "")
PY = "/usr/bin/python3"  # Debian's python: the pyenv shim on PATH adds ~0.5 s to every start


def admin(method, path, body=None):
    """One admin API call with a YAML body; returns the JSON answer."""
    req = urllib.request.Request(ADMIN + path, method=method, data=body,
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/yaml"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def get_via_gateway(host):
    """GET / through the gateway as raw HTTP/1.1 on a fresh connection (nothing cached between measurements); asserts 200."""
    s = socket.create_connection(("127.0.0.1", int(GATEWAY.rsplit(":", 1)[1])))
    s.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    assert data.startswith(b"HTTP/1.1 200"), data[:300]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def spawn_to_first_response(app):
    """Seconds from spawning `app` directly (PORT set) to its first HTTP response: the app's own cold start."""
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([PY, app], env={**os.environ, "PORT": str(port)}, stdout=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as r:
                    r.read()
                    return time.perf_counter() - start
            except OSError:
                time.sleep(0.001)
    finally:
        proc.terminate()
        proc.wait()
