"""Read the application's ``.env`` templates (``secrets/templates/``).

A template is a valid ``.env.example``: python-dotenv parses it, and every
variable is documented by the comment lines just above it. Lines starting with
``# caldron:`` are directives rather than prose:

- ``# caldron:consumer=NAME`` (once per file) names the dotenv dialect the
  application reads its environment with;
- ``# caldron:vault`` in a variable's comment block marks that variable as
  coming from Vault. Its key must be in the catalogue; a value written after
  ``=`` is a fallback used when Vault holds none, and only a non-secret key
  may carry one.

A variable without the Vault mark is a plain setting whose value is its
default. Loading refuses a malformed line, a duplicate or undocumented key, an
unknown directive or consumer, and a Vault key the catalogue does not know;
each error names the file, the line and the key, never a value.
"""

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from dotenv.parser import Binding, parse_stream

from caldron.consumers import CONSUMERS
from caldron.errors import InvalidInputError
from caldron.project import find_secrets_dir

logger = logging.getLogger(__name__)

DIRECTIVE_PREFIX = "# caldron:"
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
EXPORT_PREFIX = re.compile(r"\s*export[^\S\r\n]+")


@dataclass(frozen=True)
class TemplateEntry:
    """One variable of a template.

    ``default`` is the value a plain setting takes, or the fallback of a Vault
    key (``None`` when it has none). ``exported`` keeps the line's ``export``
    style so that a renderer can write it back the same way.
    """

    key: str
    default: str | None
    from_vault: bool
    description: str
    line: int
    exported: bool = False


@dataclass(frozen=True)
class Template:
    """A parsed template: its variables in file order and its consumer."""

    path: Path
    consumer: str | None
    entries: tuple[TemplateEntry, ...]

    def keys(self) -> tuple[str, ...]:
        return tuple(entry.key for entry in self.entries)

    def vault_keys(self) -> tuple[str, ...]:
        return tuple(entry.key for entry in self.entries if entry.from_vault)


def default_template_path(secrets_dir: Path | None = None) -> Path:
    """The application template, ``secrets/templates/app.env.example``."""
    return (secrets_dir or find_secrets_dir()) / "templates" / "app.env.example"


def load_template(path: Path | str, catalogue=None) -> Template:
    """Parse and validate the template at ``path``.

    Vault keys are checked against ``catalogue``; without one, the project's
    catalogue is loaded.
    """
    path = Path(path)
    text = _read_text(path)
    if catalogue is None:
        from caldron.catalogue import load_catalogue

        catalogue = load_catalogue()

    parser = _TemplateParser(path)
    for binding in parse_stream(io.StringIO(text)):
        parser.take(binding)
    template = Template(path, parser.consumer, tuple(parser.entries))

    for entry in template.entries:
        if entry.from_vault:
            _check_vault_entry(template, entry, catalogue)
    logger.debug("loaded template %s with %d entries", path, len(template.entries))
    return template


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError(f"template {path} does not exist") from None
    except IsADirectoryError:
        raise InvalidInputError(f"template {path} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"template {path} is not UTF-8 text") from None
    except OSError as error:
        raise InvalidInputError(
            f"cannot read template {path} ({error.strerror})"
        ) from None


class _TemplateParser:
    """Walks python-dotenv's bindings, gathering comments into descriptions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.consumer: str | None = None
        self.entries: list[TemplateEntry] = []
        self._comments: list[str] = []
        self._vault_mark = False
        self._lines: dict[str, int] = {}

    def take(self, binding: Binding) -> None:
        line = _first_line(binding)
        if binding.error:
            raise self._fail(line, "is not a KEY=value assignment or a comment")
        if binding.key is None:
            self._take_comment(binding.original.string, line)
        else:
            self._take_assignment(binding, line)

    def _take_comment(self, text: str, line: int) -> None:
        if _starts_with_blank_line(text):
            self._forget_comments()
        comment = text.strip()
        if not comment:
            return
        if comment.startswith(DIRECTIVE_PREFIX):
            self._take_directive(comment.removeprefix(DIRECTIVE_PREFIX), line)
        else:
            self._comments.append(comment.removeprefix("#").strip())

    def _take_directive(self, directive: str, line: int) -> None:
        name, _, argument = directive.partition("=")
        if name == "vault" and not argument:
            self._vault_mark = True
        elif name == "consumer":
            if self.consumer is not None:
                raise self._fail(line, "declares the consumer a second time")
            if argument not in CONSUMERS:
                raise self._fail(
                    line,
                    f"names unknown consumer {argument!r}; use one of: "
                    + ", ".join(CONSUMERS),
                )
            self.consumer = argument
        else:
            raise self._fail(
                line, f"has unknown directive {name!r}; use consumer=NAME or vault"
            )

    def _take_assignment(self, binding: Binding, line: int) -> None:
        key = binding.key
        if _starts_with_blank_line(binding.original.string):
            self._forget_comments()
        if VARIABLE_NAME.fullmatch(key) is None:
            raise self._fail(line, f"key {key!r} is not a valid variable name")
        if key in self._lines:
            raise self._fail(
                line, f"key {key} is a duplicate of line {self._lines[key]}"
            )
        description = " ".join(self._comments)
        if not description:
            raise self._fail(line, f"key {key} has no description comment above it")

        self._lines[key] = line
        self.entries.append(
            TemplateEntry(
                key=key,
                default=_default_of(binding.value, self._vault_mark),
                from_vault=self._vault_mark,
                description=description,
                line=line,
                exported=_is_exported(binding.original.string),
            )
        )
        self._forget_comments()

    def _forget_comments(self) -> None:
        self._comments = []
        self._vault_mark = False

    def _fail(self, line: int, problem: str) -> InvalidInputError:
        return InvalidInputError(
            f"{self.path}, line {line}: {problem}", hint=f"fix {self.path.name}"
        )


def _check_vault_entry(template: Template, entry: TemplateEntry, catalogue) -> None:
    where = f"{template.path}, line {entry.line}"
    try:
        spec = catalogue.key(entry.key)
    except InvalidInputError:
        raise InvalidInputError(
            f"{where}: key {entry.key} is marked caldron:vault but is not in "
            "the catalogue",
            hint="declare it in secrets/catalogue/ or drop the vault mark",
        ) from None
    if entry.default is not None and spec.secret:
        raise InvalidInputError(
            f"{where}: key {entry.key} is secret, so the template must leave "
            "its value empty",
            hint="secrets come from Vault only",
        )


def _default_of(value: str | None, from_vault: bool) -> str | None:
    if from_vault and not value:
        return None
    return value


def _first_line(binding: Binding) -> int:
    text = binding.original.string
    leading = text[: len(text) - len(text.lstrip())]
    return binding.original.line + leading.count("\n")


def _starts_with_blank_line(text: str) -> bool:
    return "\n" in text[: len(text) - len(text.lstrip())] or not text.strip()


def _is_exported(original: str) -> bool:
    return EXPORT_PREFIX.match(original) is not None
