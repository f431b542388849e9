"""The real parsers that read rendered files back, each run in one batch.

Every reader takes the texts of several rendered files and returns, per file,
the keys and values its parser saw. Node's dotenv, phpdotenv and symfony/dotenv
run as one process per batch through the scripts in ``readers/``; shells run
``set -a; . FILE`` in one process per batch. Docker and GitHub Actions have no
parser installable here, so their documented line rules are followed instead.
A file a parser rejects comes back as ``{"__error__": message}``.
"""

import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from unittest import mock

from dotenv import dotenv_values

REPO = Path(__file__).resolve().parents[2]
READERS_DIR = Path(__file__).parent / "readers"
NODE_TOOLS = Path(os.environ.get("CALDRON_NODE_TOOLS", REPO / ".tools" / "node"))
STALE_USER = "alice"
INSTALL_HINT = "run 'bash .ci/test-tools.sh' to install the real parsers"

SHELL_SCRIPT = """
for file in "$@"; do
    ( set -a; . "$file" && env -0 ) || printf '__error__=could not source\\0'
    printf '\\0'
done
"""


def write_files(texts: list[str], folder: Path) -> list[str]:
    """Write each text to its own file in ``folder``; return their paths."""
    paths = []
    for number, text in enumerate(texts):
        path = folder / f"rendered-{number}.env"
        path.write_bytes(text.encode("utf-8"))
        paths.append(str(path))
    return paths


def run_batch(command: list[str], env: dict[str, str] | None = None) -> bytes:
    """Run one reader process and return its standard output."""
    if shutil.which(command[0]) is None:
        raise AssertionError(f"{command[0]} is missing: {INSTALL_HINT}")
    result = subprocess.run(
        command, capture_output=True, env=env, check=False, timeout=120
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{command[0]} failed ({result.returncode}): "
            f"{result.stderr.decode(errors='replace')[-2000:]}"
        )
    return result.stdout


def reader_environment() -> dict[str, str]:
    """The environment readers run in: a stale ``USER`` that no value may pick up."""
    return {
        **os.environ,
        "USER": STALE_USER,
        "NODE_PATH": str(NODE_TOOLS / "node_modules"),
    }


def read_python_dotenv(texts: list[str], folder: Path) -> list[dict]:
    """python-dotenv as caldron verifies: ``interpolate=False``."""
    return [
        dict(dotenv_values(stream=io.StringIO(text), interpolate=False))
        for text in texts
    ]


def read_python_dotenv_defaults(texts: list[str], folder: Path) -> list[dict]:
    """python-dotenv as ``load_dotenv()`` reads: interpolation on."""
    with mock.patch.dict(os.environ, {"USER": STALE_USER}):
        return [dict(dotenv_values(stream=io.StringIO(text))) for text in texts]


def read_node_dotenv(texts: list[str], folder: Path) -> list[dict]:
    """Node's ``dotenv.parse`` from the npm package."""
    if not (NODE_TOOLS / "node_modules" / "dotenv").is_dir():
        raise AssertionError(f"Node's dotenv is missing: {INSTALL_HINT}")
    paths = write_files(texts, folder)
    script = str(READERS_DIR / "node_dotenv.js")
    return json.loads(run_batch(["node", script, *paths], reader_environment()))


def read_phpdotenv(texts: list[str], folder: Path) -> list[dict]:
    """vlucas/phpdotenv's ``Dotenv::parse`` from Debian's package."""
    paths = write_files(texts, folder)
    script = str(READERS_DIR / "phpdotenv.php")
    return json.loads(run_batch(["php", script, *paths], reader_environment()))


def read_symfony(texts: list[str], folder: Path) -> list[dict]:
    """symfony/dotenv's ``Dotenv::parse`` from Debian's package."""
    paths = write_files(texts, folder)
    script = str(READERS_DIR / "symfony_dotenv.php")
    return json.loads(run_batch(["php", script, *paths], reader_environment()))


def read_with_shell(shell: str, texts: list[str], folder: Path) -> list[dict]:
    """``set -a; . FILE`` in ``shell``, then every variable, NUL-separated."""
    paths = write_files(texts, folder)
    env = {"USER": STALE_USER, "PATH": "/usr/bin:/bin"}
    output = run_batch([shell, "-c", SHELL_SCRIPT, shell, *paths], env)

    files: list[dict] = [{}]
    for record in output.decode("utf-8").split("\0")[:-1]:
        if record == "":
            files.append({})
            continue
        key, _, value = record.partition("=")
        files[-1][key] = value
    return files[: len(texts)]


def read_bash(texts: list[str], folder: Path) -> list[dict]:
    """bash sourcing the file with ``set -a``."""
    return read_with_shell("bash", texts, folder)


def read_sh(texts: list[str], folder: Path) -> list[dict]:
    """POSIX sh (dash) sourcing the file with ``set -a``."""
    return read_with_shell("sh", texts, folder)


def read_json(texts: list[str], folder: Path) -> list[dict]:
    """``json.loads``."""
    return [json.loads(text) for text in texts]


def read_docker_env_file(text: str) -> dict:
    """Docker's ``--env-file`` rules: one ``KEY=VALUE`` a line, the value taken
    verbatim (quotes included), lines starting with ``#`` skipped, leading
    whitespace of a line dropped, a trailing carriage return dropped."""
    values = {}
    for raw in text.split("\n"):
        line = raw.removesuffix("\r").lstrip()
        if not line or line.startswith("#"):
            continue
        key, equals, value = line.partition("=")
        if not equals or any(char.isspace() for char in key):
            return {"__error__": "not a KEY=VALUE line"}
        values[key] = value
    return values


def read_docker(texts: list[str], folder: Path) -> list[dict]:
    """Docker's documented env-file rules, applied to each text."""
    return [read_docker_env_file(text) for text in texts]


def read_github_env_file(text: str) -> dict:
    """The Actions runner's ``$GITHUB_ENV`` rules: ``NAME=value`` when ``=``
    comes before any ``<<``, else ``NAME<<DELIMITER``, the value's lines, and
    a line equal to the delimiter; the value's lines are joined by newlines."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    values = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        equals, heredoc = line.find("="), line.find("<<")
        if line == "":
            index += 1
            continue
        if equals >= 0 and (heredoc < 0 or equals < heredoc):
            values[line[:equals]] = line[equals + 1 :]
            index += 1
            continue
        if heredoc < 0:
            return {"__error__": "neither NAME=value nor NAME<<DELIMITER"}
        name, delimiter = line[:heredoc], line[heredoc + 2 :]
        body = []
        index += 1
        while index < len(lines) and lines[index] != delimiter:
            body.append(lines[index])
            index += 1
        if index == len(lines):
            return {"__error__": "delimiter never closed"}
        values[name] = "\n".join(body)
        index += 1
    return values


def read_github_actions(texts: list[str], folder: Path) -> list[dict]:
    """The runner's ``$GITHUB_ENV`` rules, applied to each text."""
    return [read_github_env_file(text) for text in texts]


READERS = {
    "python-dotenv": read_python_dotenv,
    "python-dotenv-defaults": read_python_dotenv_defaults,
    "node-dotenv": read_node_dotenv,
    "phpdotenv": read_phpdotenv,
    "symfony": read_symfony,
    "bash": read_bash,
    "sh": read_sh,
    "json": read_json,
    "docker": read_docker,
    "github-actions": read_github_actions,
}

CONSUMER_READERS = {
    "python-dotenv": ("python-dotenv",),
    "node-dotenv": ("node-dotenv",),
    "phpdotenv": ("phpdotenv",),
    "symfony": ("symfony",),
    "shell": ("bash", "sh"),
    "docker": ("docker",),
    "github-actions": ("github-actions",),
    "json": ("json",),
    "portable": ("python-dotenv-defaults", "node-dotenv", "phpdotenv", "symfony"),
}
EXTERNAL_READERS = ("node-dotenv", "phpdotenv", "symfony", "bash", "sh")
