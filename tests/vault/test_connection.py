"""The retry policy of the pooled connection, over real HTTP on loopback.

A tiny HTTP server answers with a scripted list of statuses, so the policy
is exercised end to end without hvac or Vault in the way.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from caldron.vault.connection import open_session
from caldron.vault.settings import VaultSettings


class ScriptedHandler(BaseHTTPRequestHandler):
    """Answer each request with the next scripted (status, errors) pair."""

    def answer(self):
        self.server.seen.append(self.command)
        status, errors = self.server.script.pop(0) if self.server.script else (200, [])
        body = json.dumps({"errors": errors} if errors else {"data": {}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = answer

    def log_message(self, *arguments):
        pass


@pytest.fixture
def scripted():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedHandler)
    server.script, server.seen = [], []
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def send(server, method):
    address = f"http://127.0.0.1:{server.server_address[1]}"
    with open_session(VaultSettings(address=address)) as session:
        return session.request(method, f"{address}/v1/caldron/data/dev/stripe")


@pytest.mark.parametrize(
    ("script", "method", "status", "attempts"),
    [
        ([(429, []), (502, []), (200, [])], "GET", 200, 3),
        ([(500, []), (503, ["standby"]), (504, [])], "GET", 200, 4),
        ([(500, [])] * 6, "GET", 500, 4),
        ([(503, ["Vault is sealed"])], "GET", 503, 1),
        ([(502, [])], "POST", 502, 1),
        ([(404, [])], "GET", 404, 1),
        ([(403, ["permission denied"])], "GET", 403, 1),
    ],
    ids=["429-502", "5xx", "bounded", "sealed", "write", "404", "403"],
)
def test_retries_only_transient_answers_to_reads(
    scripted, script, method, status, attempts
):
    scripted.script = list(script)
    started = time.monotonic()

    response = send(scripted, method)

    assert response.status_code == status
    assert scripted.seen == [method] * attempts
    assert time.monotonic() - started < 2
