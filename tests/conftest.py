"""Fixtures every suite may use: a real OpenBao dev server and its mounts.

Each pytest process (each xdist worker too) starts its own dev server on a
free loopback port. No test mocks hvac or Vault.
"""

import os
import random
import secrets
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import hvac
import pytest
import requests

BAO = Path(sys.executable).parent / "bao"
READY_TIMEOUT_SECONDS = 20.0
VAULT_VARIABLES = (
    "VAULT_ADDR",
    "VAULT_TOKEN",
    "VAULT_NAMESPACE",
    "VAULT_CACERT",
    "VAULT_CAPATH",
    "VAULT_CLIENT_CERT",
    "VAULT_CLIENT_KEY",
    "VAULT_SKIP_VERIFY",
    "CALDRON_VAULT_MOUNT",
    "CALDRON_HOME",
    "CALDRON_LOCAL_VAULT_PORT",
)


@dataclass
class OpenBaoServer:
    """A running ``bao server -dev`` and the root token it was started with."""

    addr: str
    root_token: str
    process: subprocess.Popen

    def client(self, token: str | None = None) -> hvac.Client:
        """Return an hvac client for this server (root token by default)."""
        return hvac.Client(url=self.addr, token=token or self.root_token)

    def stop(self) -> None:
        """Terminate the server and wait for it."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    """Return a loopback port with its upper neighbour free too (dev servers
    listen for cluster traffic on the next port up).

    Ports come from below the kernel's ephemeral range, so no outgoing
    connection can take one between a server's stop and its next start.
    """
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 32000)
        if port_is_free(port) and port_is_free(port + 1):
            return port
    raise RuntimeError("no pair of free loopback ports")


def port_is_free(port: int) -> bool:
    """Tell whether nothing is bound to ``port`` on the loopback address."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start_dev_server(home: Path) -> OpenBaoServer:
    """Start ``bao server -dev`` on a free port, ready when this returns."""
    token = f"root-{secrets.token_hex(12)}"
    port = free_port()
    home.mkdir(parents=True, exist_ok=True)
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("VAULT_", "BAO_"))
    }
    environment["HOME"] = str(home)
    log = open(home / "server.log", "ab")  # noqa: SIM115 (kept open by the child)
    process = subprocess.Popen(
        [
            str(BAO),
            "server",
            "-dev",
            "-dev-no-store-token",
            f"-dev-root-token-id={token}",
            f"-dev-listen-address=127.0.0.1:{port}",
        ],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=environment,
        cwd=home,
    )
    log.close()
    server = OpenBaoServer(f"http://127.0.0.1:{port}", token, process)
    wait_until_active(server)
    return server


def wait_until_active(server: OpenBaoServer) -> None:
    """Poll ``sys/health`` until the server is unsealed and active."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"bao server -dev exited with {server.process.returncode}"
            )
        try:
            if (
                requests.get(f"{server.addr}/v1/sys/health", timeout=1).status_code
                == 200
            ):
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    server.stop()
    raise RuntimeError("bao server -dev did not become active")


@pytest.fixture(scope="session")
def openbao(tmp_path_factory) -> OpenBaoServer:
    """A real OpenBao dev server for the whole session (one per xdist worker)."""
    server = start_dev_server(tmp_path_factory.mktemp("openbao"))
    yield server
    server.stop()


@pytest.fixture
def start_openbao(tmp_path):
    """Return a function that starts an extra dev server for this test only
    (to seal it or stop it without disturbing the session's server)."""
    started = []

    def start() -> OpenBaoServer:
        server = start_dev_server(tmp_path / f"openbao-{len(started)}")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def unused_port() -> int:
    """A loopback port (and the next one up) where nothing listens."""
    return free_port()


@pytest.fixture
def kv_mount(openbao) -> str:
    """A fresh KV v2 mount with a unique name, removed after the test."""
    name = f"kv-{uuid.uuid4().hex[:10]}"
    client = openbao.client()
    client.sys.enable_secrets_engine("kv", path=name, options={"version": "2"})
    yield name
    client.sys.disable_secrets_engine(name)


@pytest.fixture
def isolated_home(tmp_path, monkeypatch) -> Path:
    """HOME, XDG_DATA_HOME and CALDRON_HOME in tmp; no Vault variable set."""
    home = tmp_path / "home"
    home.mkdir()
    for name in VAULT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("CALDRON_HOME", str(tmp_path / "caldron-home"))
    return home


@pytest.fixture
def vault_env(openbao, kv_mount, isolated_home, monkeypatch) -> OpenBaoServer:
    """The environment of a user whose VAULT_ADDR and VAULT_TOKEN point at the
    session's server (root token) and whose mount is ``kv_mount``."""
    monkeypatch.setenv("VAULT_ADDR", openbao.addr)
    monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)
    monkeypatch.setenv("CALDRON_VAULT_MOUNT", kv_mount)
    return openbao


@pytest.fixture
def make_token(openbao):
    """Return a function that creates a token with the given policy and ttl.

    ``make_token('path "m/data/dev/*" { capabilities = ["read"] }', ttl="1h")``
    writes the policy under a unique name and returns the new token.
    """

    def create(policy: str, ttl: str = "1h") -> str:
        client = openbao.client()
        name = f"test-{uuid.uuid4().hex[:10]}"
        client.sys.create_or_update_acl_policy(name, policy)
        created = client.auth.token.create(
            policies=[name], ttl=ttl, explicit_max_ttl=ttl, no_default_policy=False
        )
        return created["auth"]["client_token"]

    return create
