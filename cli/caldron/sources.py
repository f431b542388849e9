"""Read the credential values an operator hands to ``caldron secrets push``.

A source is a dotenv, JSON or YAML file, or standard input (``-``), holding a
flat mapping of environment variable names to values. Errors name the source,
the line or the key, never a value.
"""

import functools
import io
import json
import logging
import sys
from pathlib import Path
from typing import TextIO

from dotenv.parser import parse_stream

from caldron.errors import InvalidInputError
from caldron.key_names import printable_key_name

logger = logging.getLogger(__name__)

FORMATS = ("dotenv", "json", "yaml")
MAX_SOURCE_BYTES = 4 * 1024 * 1024


def load_values(source: str, fmt: str | None = None, stdin: TextIO | None = None):
    """Return the ``{name: value}`` pairs held by ``source`` (a path or ``-``).

    ``fmt`` is one of ``FORMATS``; without it the file's suffix decides, and
    anything that is not ``.json``, ``.yaml`` or ``.yml`` is read as dotenv.
    """
    label = "standard input" if source == "-" else source
    text = _read_text(source, label, stdin)
    fmt = fmt or _guess_format(source)
    logger.debug("reading %s as %s", label, fmt)

    if fmt == "json":
        return _parse_mapping(_load_json(text, label), label)
    if fmt == "yaml":
        return _parse_mapping(_load_yaml(text, label), label)
    return _parse_dotenv(text, label)


def _read_text(source: str, label: str, stdin: TextIO | None) -> str:
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin
        data = stream.read(MAX_SOURCE_BYTES + 1)
        if isinstance(data, bytes):
            data = _decode(data, label)
    else:
        path = Path(source)
        if path.is_dir():
            raise InvalidInputError(f"{label} is a folder, not a file of values")
        try:
            with path.open("rb") as handle:
                data = _decode(handle.read(MAX_SOURCE_BYTES + 1), label)
        except FileNotFoundError:
            raise InvalidInputError(f"{label} does not exist") from None
        except OSError as error:
            raise InvalidInputError(f"cannot read {label}: {error.strerror}") from None
    if len(data.encode("utf-8", "surrogatepass")) > MAX_SOURCE_BYTES:
        raise InvalidInputError(
            f"{label} is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB"
        )
    return data


def _decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"{label} is not UTF-8 text (byte {error.start})"
        ) from None


def _guess_format(source: str) -> str:
    suffix = Path(source).suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "dotenv"


def _load_json(text: str, label: str):
    def refuse_duplicates(pairs):
        seen = {}
        for key, value in pairs:
            if key in seen:
                raise InvalidInputError(
                    f"{label}: {printable_key_name(key)} is set twice"
                )
            seen[key] = value
        return seen

    try:
        return json.loads(
            text,
            object_pairs_hook=refuse_duplicates,
            parse_int=str,
            parse_float=str,
        )
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"{label} is not valid JSON: {error.msg} at line {error.lineno}"
        ) from None
    except RecursionError:
        raise InvalidInputError(
            f"{label} is not valid JSON: nested too deeply"
        ) from None


class _DuplicateYamlKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


@functools.cache
def _literal_yaml_loader():
    """A YAML loader that reads every scalar as the text written (``01113``
    stays ``01113``, ``9:47`` stays ``9:47``) and refuses a key given twice."""
    import yaml

    class LiteralYamlLoader(yaml.BaseLoader):
        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if isinstance(key, str) and key in seen:
                    raise _DuplicateYamlKey(key)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return LiteralYamlLoader


def _load_yaml(text: str, label: str):
    import yaml

    try:
        return yaml.load(text, Loader=_literal_yaml_loader())  # noqa: S506
    except _DuplicateYamlKey as duplicate:
        raise InvalidInputError(
            f"{label}: {printable_key_name(duplicate.key)} is set twice"
        ) from None
    except RecursionError:
        raise InvalidInputError(
            f"{label} is not valid YAML: nested too deeply"
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise InvalidInputError(
            f"{label} is not valid YAML: {problem}{where}"
        ) from None


def _parse_mapping(document, label: str) -> dict[str, str]:
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise InvalidInputError(
            f"{label} must hold a mapping of variable names to values, "
            f"not a {type(document).__name__}"
        )

    values = {}
    for key, value in document.items():
        if not isinstance(key, str):
            raise InvalidInputError(f"{label}: a key is not a string")
        _checked_text(key, "a key", label)
        values[key] = _scalar_to_text(value, key, label)
    return values


def _checked_text(text: str, key: str, label: str) -> str:
    """Refuse text that is not valid Unicode (a lone surrogate escape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(
            f"{label}: {printable_key_name(key)} is not valid Unicode text "
            "(a lone surrogate escape)"
        ) from None
    return text


def _scalar_to_text(value, key: str, label: str) -> str:
    if isinstance(value, str):
        return _checked_text(value, key, label)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    kind = "nothing (null)" if value is None else f"a {type(value).__name__}"
    raise InvalidInputError(
        f"{label}: {printable_key_name(key)} holds {kind}; give it a text value",
        hint="quote the value, or leave the key out",
    )


def _parse_dotenv(text: str, label: str) -> dict[str, str]:
    values = {}
    for binding in parse_stream(io.StringIO(text)):
        line = binding.original.line
        if binding.error:
            raise InvalidInputError(
                f"{label}: line {line} is not a KEY=value assignment",
                hint="check its quoting",
            )
        if binding.key is None:
            continue
        if binding.value is None:
            raise InvalidInputError(
                f"{label}: line {line} has a name but no '=' and no value",
                hint="write NAME= for an empty value, and quote multi-line values",
            )
        if binding.key in values:
            raise InvalidInputError(
                f"{label}: {printable_key_name(binding.key)} is set twice (line {line})"
            )
        values[binding.key] = binding.value
    return values
