"""Read a Pulumi stack's outputs, as ``pulumi stack output --json`` prints them.

The outputs come from the Pulumi CLI when it is installed, or from a file or
standard input (what a CI job that already ran ``pulumi up`` hands on). They
hold secrets (the SMTP password), so nothing here ever shows a value: errors
and logs name the source and the output names only.
"""

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from caldron.environments import DEPLOYED_ENVIRONMENTS, ENVIRONMENTS
from caldron.errors import InvalidInputError, UsageError
from caldron.project import find_upwards

logger = logging.getLogger(__name__)

STDIN_SOURCE = "-"
MASKED_VALUE = "[secret]"
PULUMI_TIMEOUT_SECONDS = 120
MAX_OUTPUTS_BYTES = 4 * 1024 * 1024


def read_stack_outputs(
    stack: str, source: str | None = None, *, secrets_needed: bool = True
) -> dict[str, Any]:
    """Return the outputs of ``stack`` as a dict of output name to value.

    ``source`` is a path to the JSON that ``pulumi stack output --json
    --show-secrets`` printed, ``-`` for standard input, or ``None`` to run that
    command in the project root. Null outputs are left out, so callers see
    them as missing.

    With ``secrets_needed`` (the default) secret outputs masked as
    ``[secret]`` are refused. Without it, Pulumi is not asked to show secrets
    and masked outputs are left out like null ones."""
    check_stack_name(stack)

    if source is None:
        label = f"pulumi stack output --stack {stack}"
        text = run_pulumi_stack_output(stack, show_secrets=secrets_needed)
    elif source == STDIN_SOURCE:
        label = "standard input"
        text = read_outputs_stdin()
    else:
        label = source
        text = read_outputs_file(Path(source))

    logger.debug("read stack outputs of %s from %s", stack, label)
    check_outputs_size(text, label)
    outputs = drop_null_outputs(parse_stack_outputs(text, label))
    if secrets_needed:
        refuse_masked_outputs(outputs, label)
    else:
        outputs = drop_masked_outputs(outputs)
    check_outputs_match_stack(outputs, stack, label)
    logger.debug("stack %s has outputs: %s", stack, ", ".join(sorted(outputs)))
    return outputs


def require_outputs(
    outputs: dict[str, Any], names: list[str] | tuple[str, ...], stack: str
) -> None:
    """Raise ``InvalidInputError`` naming every output in ``names`` that the
    stack lacks (absent or null)."""
    missing = [name for name in names if outputs.get(name) is None]
    if missing:
        raise InvalidInputError(
            f"stack {stack} lacks the output(s): {', '.join(missing)}",
            hint=f"deploy the current program to {stack}, or pass that stack's "
            "outputs with --from",
        )


def check_stack_name(stack: str) -> str:
    """Return ``stack`` if it names a deployed environment, else raise."""
    if stack not in DEPLOYED_ENVIRONMENTS:
        known = ", ".join(DEPLOYED_ENVIRONMENTS)
        raise UsageError(f"unknown stack {stack!r}; use one of: {known}")
    return stack


def find_project_root(start: Path | None = None) -> Path:
    """Locate the folder holding ``Pulumi.yaml``: the nearest one above the
    working directory, else the one beside caldron's own source tree."""
    root = find_upwards("Pulumi.yaml", start)
    if root is None:
        raise UsageError(
            "no Pulumi.yaml found above the working directory",
            hint="run inside the caldron checkout, or pass the outputs with --from",
        )
    return root


def run_pulumi_stack_output(stack: str, *, show_secrets: bool = True) -> str:
    """Run ``pulumi stack output --json`` (with ``--show-secrets`` if asked)
    and return its stdout."""
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        raise UsageError(
            "pulumi is not on PATH and no --from was given",
            hint="install the Pulumi CLI, or pass the JSON that `pulumi stack "
            "output --json --show-secrets` printed with --from FILE (- for stdin)",
        )

    command = [pulumi, "stack", "output", "--json"]
    if show_secrets:
        command.append("--show-secrets")
    command += ["--stack", stack]
    root = find_project_root()
    logger.debug("running pulumi stack output for %s in %s", stack, root)
    try:
        finished = subprocess.run(
            command,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=PULUMI_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InvalidInputError(
            f"pulumi stack output --stack {stack} did not finish within "
            f"{PULUMI_TIMEOUT_SECONDS} s",
            hint="check `pulumi whoami` and the backend, or pass --from",
        ) from None

    if finished.returncode != 0:
        reason = last_line(finished.stderr) or f"exit status {finished.returncode}"
        raise InvalidInputError(
            f"pulumi stack output --stack {stack} failed: {reason}",
            hint="check `pulumi stack ls` and `pulumi whoami`, or pass --from",
        )
    return finished.stdout


def read_outputs_stdin() -> str:
    """Return the outputs on standard input, reading no more than one
    character past the size limit."""
    return sys.stdin.read(MAX_OUTPUTS_BYTES + 1)


def read_outputs_file(path: Path) -> str:
    """Return the text of the outputs file at ``path``, reading no more than
    one byte past the size limit (``--from /dev/zero`` must not fill memory)."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_OUTPUTS_BYTES + 1)
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError(
            f"stack outputs file {path} is not UTF-8 text",
            hint="pass the JSON that `pulumi stack output --json` printed",
        ) from None
    except OSError as error:
        raise InvalidInputError(
            f"cannot read stack outputs file {path}: {error.strerror}",
            hint="check the path given to --from",
        ) from None


def check_outputs_size(text: str, label: str) -> None:
    """Refuse outputs larger than ``MAX_OUTPUTS_BYTES`` once encoded; real
    stack outputs are a few kilobytes."""
    if len(text) > MAX_OUTPUTS_BYTES or len(text.encode()) > MAX_OUTPUTS_BYTES:
        raise InvalidInputError(
            f"stack outputs from {label} are larger than "
            f"{MAX_OUTPUTS_BYTES // (1024 * 1024)} MiB",
            hint="pass what `pulumi stack output --json` printed",
        )


def parse_stack_outputs(text: str, label: str) -> dict[str, Any]:
    """Parse the JSON object of stack outputs read from ``label``."""
    try:
        outputs = json.loads(text, parse_constant=refuse_json_constant)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"stack outputs from {label} are not valid JSON "
            f"(line {error.lineno}, column {error.colno})",
            hint="pass what `pulumi stack output --json` printed",
        ) from None
    except RecursionError:
        raise InvalidInputError(
            f"stack outputs from {label} are not valid JSON (nested too deeply)",
            hint="pass what `pulumi stack output --json` printed",
        ) from None
    except NonJsonConstantError as error:
        raise InvalidInputError(
            f"stack outputs from {label} are not valid JSON ({error} is not a "
            "JSON number)",
            hint="pass what `pulumi stack output --json` printed",
        ) from None

    if not isinstance(outputs, dict):
        raise InvalidInputError(
            f"stack outputs from {label} are a JSON {json_type_name(outputs)}, "
            "not an object of output names",
            hint="pass what `pulumi stack output --json` printed",
        )
    return outputs


class NonJsonConstantError(ValueError):
    """Python's ``json`` accepts ``NaN`` and ``Infinity``; JSON does not."""


def refuse_json_constant(name: str) -> None:
    """``json.loads`` hook for ``NaN``, ``Infinity`` and ``-Infinity``."""
    raise NonJsonConstantError(name)


def drop_null_outputs(outputs: dict[str, Any]) -> dict[str, Any]:
    """Leave out null outputs, which a stack has not (yet) set."""
    return {name: value for name, value in outputs.items() if value is not None}


def masked_output_names(outputs: dict[str, Any]) -> list[str]:
    """The outputs that Pulumi printed as ``[secret]``, in name order."""
    return sorted(name for name, value in outputs.items() if value == MASKED_VALUE)


def refuse_masked_outputs(outputs: dict[str, Any], label: str) -> None:
    """Refuse outputs whose secret values were masked."""
    hidden = masked_output_names(outputs)
    if hidden:
        raise InvalidInputError(
            f"stack outputs from {label} hide the secret output(s) {', '.join(hidden)}",
            hint="produce them with `pulumi stack output --json --show-secrets`",
        )


def drop_masked_outputs(outputs: dict[str, Any]) -> dict[str, Any]:
    """Leave out outputs whose secret values were masked, for callers that
    need no secrets."""
    hidden = masked_output_names(outputs)
    if hidden:
        logger.debug("leaving out masked output(s): %s", ", ".join(hidden))
    return {name: value for name, value in outputs.items() if name not in hidden}


def check_outputs_match_stack(outputs: dict[str, Any], stack: str, label: str) -> None:
    """Refuse outputs that do not say they belong to ``stack``: the
    ``environment`` output must be there and name it."""
    environment = outputs.get("environment")
    if environment is None:
        raise InvalidInputError(
            f"stack outputs from {label} lack the environment output",
            hint=f"pass the outputs of stack {stack} as the current program "
            "exports them (it exports environment)",
        )
    if environment != stack:
        known = isinstance(environment, str) and environment in ENVIRONMENTS
        owner = f"environment {environment!r}" if known else "an unknown environment"
        raise InvalidInputError(
            f"stack outputs from {label} belong to {owner}, not {stack!r}",
            hint=f"pass the outputs of stack {stack}",
        )


def json_type_name(value: Any) -> str:
    """Name the JSON type of a parsed value, for error messages."""
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


def last_line(text: str) -> str:
    """Return the last non-empty line of ``text``, trimmed to 200 characters."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""
