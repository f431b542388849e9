"""How one value is written for each consumer of a rendered environment file.

Each ``encode_*`` function turns a key and its value into the lines that the
consumer's own parser reads back as exactly that value. When the consumer has
no way to carry a value, the function raises ``UnrepresentableValue`` with a
reason that describes the kind of character involved, never the value itself.

The rules follow the parsers as they are, not as they are documented:
python-dotenv 1.2.4, Node's dotenv 18, vlucas/phpdotenv 5.4, symfony/dotenv
5.4, POSIX shell, ``docker run --env-file`` and GitHub Actions' ``$GITHUB_ENV``.
"""

import json
import re

NODE_QUOTES = ("'", "`", '"')
HEREDOC_DELIMITER = "CALDRON_EOF"
EMPTY_QUOTES = "''"


class UnrepresentableValue(Exception):
    """The consumer cannot carry this value; ``reason`` names what is in the way."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def encode_python_dotenv(key: str, value: str) -> list[str]:
    """Double quotes; python-dotenv decodes backslash escapes inside them."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )
    return [f'{key}="{escaped}"']


def encode_phpdotenv(key: str, value: str) -> list[str]:
    """Double quotes with ``$`` escaped, so phpdotenv expands no variable."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("$", "\\$")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )
    return [f'{key}="{escaped}"']


def encode_symfony(key: str, value: str) -> list[str]:
    """Single-quoted runs, joined by ``\\'`` for a quote and ``"\\r"`` for a
    carriage return: symfony/dotenv reads single quotes literally, concatenates
    adjacent parts and turns a raw carriage return into a newline."""
    parts = []
    for piece in re.split(r"(['\r])", value):
        if piece == "'":
            parts.append("\\'")
        elif piece == "\r":
            parts.append('"\\r"')
        elif piece:
            parts.append(f"'{piece}'")
    return [f"{key}={''.join(parts) or EMPTY_QUOTES}"]


def encode_shell(key: str, value: str) -> list[str]:
    """``export KEY='...'``: single quotes keep ``$``, backticks and newlines."""
    quoted = "'" + value.replace("'", "'\\''") + "'"
    return [f"export {key}={quoted}"]


def encode_docker(key: str, value: str) -> list[str]:
    """``KEY=value`` verbatim: docker keeps quotes as part of the value and
    reads one line per variable."""
    if "\n" in value or "\r" in value:
        raise UnrepresentableValue("docker env files cannot carry a line break")
    return [f"{key}={value}"]


def encode_github_actions(key: str, value: str) -> list[str]:
    """``KEY=value``, or a heredoc with a delimiter no line of the value equals."""
    if "\r" in value:
        raise UnrepresentableValue("$GITHUB_ENV cannot carry a carriage return")
    if "\n" not in value:
        return [f"{key}={value}"]

    lines = value.split("\n")
    delimiter = HEREDOC_DELIMITER
    suffix = 0
    while delimiter in lines:
        suffix += 1
        delimiter = f"{HEREDOC_DELIMITER}_{suffix}"
    return [f"{key}<<{delimiter}", *lines, delimiter]


def encode_node_dotenv(key: str, value: str) -> list[str]:
    """The first quoting Node's dotenv reads back unchanged.

    Node's dotenv has no escapes except ``\\n`` and ``\\r`` inside double
    quotes, so the value must avoid the quote character that surrounds it.
    Its line pattern lets a quoted value that ends in a backslash run on to a
    later quote; a comment holding that quote character stops it there.
    """
    quote = choose_node_quote(value)
    if quote is None:
        return [f"{key}={value}"]

    body = value
    if quote == '"':
        body = value.replace("\n", "\\n").replace("\r", "\\r")
    lines = [f"{key}={quote}{body}{quote}"]
    if value.endswith("\\"):
        lines.append(f"# the value above ends in a backslash ({quote}kept{quote})")
    return lines


def choose_node_quote(value: str) -> str | None:
    """Pick the quote character for Node's dotenv, or ``None`` for no quotes."""
    if "\r" in value:
        if can_double_quote_for_node(value):
            return '"'
        raise UnrepresentableValue(
            "Node's dotenv reads a carriage return only inside double quotes, "
            "and this value has a double quote or a literal \\n or \\r"
        )
    for quote in NODE_QUOTES:
        if quote not in value and (quote != '"' or can_double_quote_for_node(value)):
            return quote
    if can_leave_unquoted_for_node(value):
        return None
    raise UnrepresentableValue(
        "Node's dotenv has no escape for quotes, and this value holds all three "
        "quote characters along with a #, a line break or outer blanks"
    )


def can_double_quote_for_node(value: str) -> bool:
    """Node turns ``\\n`` and ``\\r`` into line breaks inside double quotes."""
    return '"' not in value and "\\n" not in value and "\\r" not in value


def can_leave_unquoted_for_node(value: str) -> bool:
    """Unquoted, Node's dotenv cuts at ``#``, trims, and strips outer quotes."""
    return (
        value != ""
        and "#" not in value
        and "\n" not in value
        and is_solid(value[0])
        and is_solid(value[-1])
        and value[0] not in NODE_QUOTES
    )


def is_solid(char: str) -> bool:
    """Not a blank for Python nor for JavaScript's ``trim`` (which adds BOM)."""
    return not char.isspace() and char != "\ufeff"


def encode_portable(key: str, value: str) -> list[str]:
    """One line that python-dotenv, Node's dotenv, phpdotenv and symfony/dotenv
    all read back as this value, each loading with its defaults.

    Single quotes are literal for all four as long as the value has no single
    quote, no doubled backslash and no trailing backslash (python-dotenv
    decodes those). phpdotenv reads single quotes on one line only, so a line
    break goes in double quotes as ``\\n``, which all four decode; there the
    value must avoid ``"``, ``\\`` and ``$``, which they escape differently.
    phpdotenv also takes any line holding ``="`` and no closing double quote
    for the start of a multi-line value, so such a value is refused too.
    """
    if looks_like_python_dotenv_variable(value):
        raise UnrepresentableValue(
            "python-dotenv expands ${...} in every kind of quotes by default"
        )

    if "\n" not in value and "\r" not in value:
        if "'" in value or "\\\\" in value or value.endswith("\\"):
            raise UnrepresentableValue(
                "no quoting reads the same everywhere for a single quote or a "
                "backslash next to another backslash or at the end"
            )
        line = f"{key}='{value}'"
        if phpdotenv_starts_multiline_value(line):
            raise UnrepresentableValue(
                'phpdotenv takes a line holding =" with no closing quote '
                "for the start of a multi-line value"
            )
        return [line]

    if any(char in value for char in '"\\$'):
        raise UnrepresentableValue(
            "a line break needs double quotes, and these consumers disagree "
            'on ", \\ and $ inside them'
        )
    escaped = value.replace("\n", "\\n").replace("\r", "\\r")
    return [f'{key}="{escaped}"']


def phpdotenv_starts_multiline_value(line: str) -> bool:
    """phpdotenv's own test for a line that opens a multi-line value: it holds
    ``="`` and fewer than two double quotes not preceded by a backslash."""
    if '="' not in line:
        return False
    unescaped = line.replace("\\\\", "")
    return len(re.findall(r'(?=[^\\]")', unescaped)) <= 1


def looks_like_python_dotenv_variable(value: str) -> bool:
    """True when python-dotenv's default interpolation would rewrite ``value``."""
    from dotenv.variables import Variable, parse_variables

    return any(isinstance(atom, Variable) for atom in parse_variables(value))


def encode_json_document(entries: list[tuple[str, str]]) -> str:
    """A JSON object of strings, in the order given, non-ASCII kept as is."""
    return json.dumps(dict(entries), indent=2, ensure_ascii=False) + "\n"


LINE_ENCODERS = {
    "python-dotenv": encode_python_dotenv,
    "node-dotenv": encode_node_dotenv,
    "phpdotenv": encode_phpdotenv,
    "symfony": encode_symfony,
    "shell": encode_shell,
    "docker": encode_docker,
    "github-actions": encode_github_actions,
    "portable": encode_portable,
}
