"""Read a stack's ``stacks/Pulumi.<env>.yaml`` the way Pulumi hands it over.

Pulumi gives a program its config as strings: scalars as text, mappings and
lists as JSON. ``secure:`` values cannot be decrypted offline, so each one is
replaced by an obvious stand-in and its key is marked secret, exactly as the
language host marks decrypted secrets.
"""

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from caldron.errors import InvalidInputError, UsageError
from caldron.project import find_upwards

logger = logging.getLogger(__name__)

PROJECT_FILE = "Pulumi.yaml"
# What a `secure:` value reads as offline, where it cannot be decrypted.
SECRET_STAND_IN = "fake-offline-secret"  # noqa: S105


@dataclass(frozen=True)
class Project:
    """The Pulumi project: its name, program folder and stack config folder."""

    root: Path
    name: str
    program_dir: Path
    stacks_dir: Path

    def stack_file(self, stack: str) -> Path:
        """The settings file of ``stack``."""
        return self.stacks_dir / f"Pulumi.{stack}.yaml"

    def shown(self, path: Path) -> str:
        """How messages name ``path``: relative to the project root when it
        lies inside the project, as Pulumi and the program name it."""
        if path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()
        return str(path)


@dataclass(frozen=True)
class StackConfig:
    """One stack's config, ready for ``pulumi.runtime.set_all_config``."""

    stack: str
    path: Path
    shown_path: str  # relative to the project root, as messages name it
    values: dict[str, Any]  # as written: a secure leaf stays {"secure": ...}
    secure_keys: frozenset[str]
    runtime_config: dict[str, str] = field(repr=False)

    @property
    def secret_keys(self) -> list[str]:
        """The keys whose values Pulumi would treat as secret."""
        return sorted(self.secure_keys)


def find_project(start: Path | None = None) -> Project:
    """Locate ``Pulumi.yaml`` in or above ``start`` (default: the working
    directory), else beside caldron's own source tree."""
    root = find_upwards(PROJECT_FILE, start)
    if root is None:
        raise UsageError(
            f"no {PROJECT_FILE} found above {(start or Path.cwd()).resolve()}",
            hint="run inside the caldron checkout",
        )
    return read_project(root)


def read_project(root: Path) -> Project:
    """Read the project's name, ``main`` and ``stackConfigDir``."""
    path = root / PROJECT_FILE
    if not path.is_file():
        raise InvalidInputError(
            f"no {PROJECT_FILE} in {root}", hint="run inside the caldron checkout"
        )
    document = _load_yaml(path, shown=PROJECT_FILE)
    name = document.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidInputError(
            f"{PROJECT_FILE}: 'name' is missing", hint="name the project"
        )
    return Project(
        root=root,
        name=name,
        program_dir=root / str(document.get("main") or "."),
        stacks_dir=root / str(document.get("stackConfigDir") or "."),
    )


def read_stack_config(project: Project, stack: str) -> StackConfig:
    """Read ``stack``'s settings file into runtime config."""
    path = project.stack_file(stack)
    shown = project.shown(path)
    if not path.is_file():
        raise InvalidInputError(
            f"no settings file for stack {stack!r} at {shown}",
            hint=f"create it with `pulumi stack init {stack}`",
        )
    document = _load_yaml(path, shown)
    config = document.get("config") or {}
    if not isinstance(config, dict):
        raise InvalidInputError(f"{shown}: 'config' must be a mapping of settings")

    runtime_config: dict[str, str] = {}
    secure_keys: set[str] = set()
    for key, value in config.items():
        if not isinstance(key, str) or ":" not in key:
            raise InvalidInputError(
                f"{shown}: config key {key!r} has no namespace",
                hint=f"write it as {project.name}:{key}",
            )
        if _holds_secure_value(value):
            secure_keys.add(key)
            value = _replace_secure_values(value)
        runtime_config[key] = _as_runtime_text(value)
    logger.debug("read %d settings from %s", len(runtime_config), shown)
    return StackConfig(
        stack=stack,
        path=path,
        shown_path=shown,
        values=dict(config),
        secure_keys=frozenset(secure_keys),
        runtime_config=runtime_config,
    )


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        self.key = key
        self.line = line


class _StackFileLoader(yaml.SafeLoader):
    """YAML read as Pulumi reads stack files (the YAML 1.2 core schema):
    ``yes``/``on`` stay text, ``1:30`` stays text, ``010`` is ten, and a key
    given twice in one mapping is refused."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise _DuplicateKey(str(key), key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_core_int(self, node):
        text = self.construct_scalar(node)
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        if digits.startswith("0o"):
            return sign * int(digits[2:], 8)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        return sign * int(digits, 10)


_StackFileLoader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern)
        for tag, pattern in resolvers
        if tag
        not in (
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        )
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StackFileLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_StackFileLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_StackFileLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_StackFileLoader.add_constructor(
    "tag:yaml.org,2002:int", _StackFileLoader.construct_core_int
)


def _load_yaml(path: Path, shown: str) -> dict:
    """Read a YAML mapping from ``path``; errors name it as ``shown``."""
    try:
        text = path.read_text(encoding="utf-8")
        document = yaml.load(text, Loader=_StackFileLoader)  # noqa: S506 (SafeLoader)
    except OSError as error:
        raise InvalidInputError(f"cannot read {shown}: {error.strerror}") from None
    except _DuplicateKey as duplicate:
        raise InvalidInputError(
            f"{shown}: {duplicate.key} is set twice (line {duplicate.line})"
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InvalidInputError(f"{shown} is not valid YAML{where}") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise InvalidInputError(f"{shown} must hold a YAML mapping")
    return document


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


def _holds_secure_value(value: Any) -> bool:
    if _is_secure(value):
        return True
    if isinstance(value, dict):
        return any(_holds_secure_value(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_secure_value(v) for v in value)
    return False


def _replace_secure_values(value: Any) -> Any:
    if _is_secure(value):
        return SECRET_STAND_IN
    if isinstance(value, dict):
        return {k: _replace_secure_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_secure_values(v) for v in value]
    return value


def _as_runtime_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)
