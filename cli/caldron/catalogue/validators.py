"""The rules a value must follow before caldron stores it in Vault.

Each key of the catalogue names one validator (a regular expression, an
enumeration, a URL, an integer range, a PEM block, ...). Every value also
obeys the limits that hold for all keys: at most ``MAX_VALUE_BYTES`` of UTF-8
and no NUL byte. A failed check raises ``InvalidInputError`` naming the key
and the rule it broke; the value itself never appears in the message.
"""

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

from caldron.errors import InvalidInputError

MAX_VALUE_BYTES = 32 * 1024

_HOSTNAME = re.compile(
    r"(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_PEM_BODY_LINE = re.compile(r"[A-Za-z0-9+/=]+")


class Violation(Exception):
    """A value broke a validator's rule; ``rule`` says which, without the value."""

    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule


def check_value_limits(key: str, value: str) -> None:
    """Refuse a value that no key accepts: a NUL byte, or one over 32 KiB."""
    if not isinstance(value, str):
        raise InvalidInputError(f"{key}: a value must be text")
    if "\0" in value:
        raise InvalidInputError(
            f"{key}: the value holds a NUL byte",
            hint="values are text; remove the NUL byte",
        )
    size = len(value.encode("utf-8"))
    if size > MAX_VALUE_BYTES:
        raise InvalidInputError(
            f"{key}: the value is {size} bytes, over the limit of "
            f"{MAX_VALUE_BYTES} bytes",
            hint="store a reference to large data, not the data itself",
        )


@dataclass(frozen=True)
class Validator:
    """Base of every validator; ``check`` raises ``Violation`` on a bad value."""

    kind: ClassVar[str] = ""

    def check(self, value: str) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        """One phrase for messages and docs, e.g. ``an integer from 1 to 9``."""
        raise NotImplementedError


@dataclass(frozen=True)
class RegexValidator(Validator):
    """The whole value matches ``pattern``."""

    kind: ClassVar[str] = "regex"
    pattern: str

    def check(self, value: str) -> None:
        if re.fullmatch(self.pattern, value) is None:
            raise Violation(f"must match {self.pattern}")

    def describe(self) -> str:
        return f"matches `{self.pattern}`"


@dataclass(frozen=True)
class EnumValidator(Validator):
    """The value is one of ``values``."""

    kind: ClassVar[str] = "enum"
    values: tuple[str, ...]

    def check(self, value: str) -> None:
        if value not in self.values:
            raise Violation(f"must be one of {', '.join(self.values)}")

    def describe(self) -> str:
        return "one of " + ", ".join(f"`{value}`" for value in self.values)


@dataclass(frozen=True)
class UrlValidator(Validator):
    """An absolute URL with one of ``schemes`` and a host."""

    kind: ClassVar[str] = "url"
    schemes: tuple[str, ...] = ("https",)

    def check(self, value: str) -> None:
        try:
            parts = urlsplit(value)
        except ValueError as error:
            raise Violation("must be a URL") from error
        if parts.scheme not in self.schemes or not parts.hostname:
            raise Violation(f"must be a {' or '.join(self.schemes)} URL with a host")
        if any(character.isspace() for character in value):
            raise Violation("must be a URL without whitespace")

    def describe(self) -> str:
        return f"a {' or '.join(self.schemes)} URL"


@dataclass(frozen=True)
class IntValidator(Validator):
    """A decimal integer between ``minimum`` and ``maximum`` inclusive."""

    kind: ClassVar[str] = "int"
    minimum: int | None = None
    maximum: int | None = None

    def check(self, value: str) -> None:
        if re.fullmatch(r"-?[0-9]+", value) is None:
            raise Violation("must be a decimal integer")
        number = int(value)
        if self.minimum is not None and number < self.minimum:
            raise Violation(f"must be at least {self.minimum}")
        if self.maximum is not None and number > self.maximum:
            raise Violation(f"must be at most {self.maximum}")

    def describe(self) -> str:
        low = "" if self.minimum is None else f" from {self.minimum}"
        high = "" if self.maximum is None else f" to {self.maximum}"
        return f"an integer{low}{high}"


@dataclass(frozen=True)
class HostnameValidator(Validator):
    """A lower-case DNS name such as ``email-smtp.eu-west-1.amazonaws.com``."""

    kind: ClassVar[str] = "hostname"

    def check(self, value: str) -> None:
        if _HOSTNAME.fullmatch(value) is None:
            raise Violation("must be a lower-case DNS host name")

    def describe(self) -> str:
        return "a lower-case DNS host name"


@dataclass(frozen=True)
class EmailValidator(Validator):
    """A plain mailbox address, ``local@domain``."""

    kind: ClassVar[str] = "email"

    def check(self, value: str) -> None:
        if _EMAIL.fullmatch(value) is None:
            raise Violation("must be an email address (local@domain)")

    def describe(self) -> str:
        return "an email address"


@dataclass(frozen=True)
class PemValidator(Validator):
    """One PEM block with ``label``: BEGIN line, base64 body, END line."""

    kind: ClassVar[str] = "pem"
    label: str

    def check(self, value: str) -> None:
        lines = value.removesuffix("\n").split("\n")
        begin, end = f"-----BEGIN {self.label}-----", f"-----END {self.label}-----"
        if len(lines) < 3 or lines[0] != begin or lines[-1] != end:
            raise Violation(f"must be a PEM block from {begin} to {end}")
        if not all(_PEM_BODY_LINE.fullmatch(line) for line in lines[1:-1]):
            raise Violation("must hold only base64 lines between the PEM markers")

    def describe(self) -> str:
        return f"a PEM `{self.label}` block (newlines kept)"


@dataclass(frozen=True)
class JsonValidator(Validator):
    """A JSON object that has at least the ``required_fields``."""

    kind: ClassVar[str] = "json"
    required_fields: tuple[str, ...] = ()

    def check(self, value: str) -> None:
        try:
            document = json.loads(value)
        except ValueError as error:
            raise Violation("must be a JSON document") from error
        if not isinstance(document, dict):
            raise Violation("must be a JSON object")
        absent = [name for name in self.required_fields if name not in document]
        if absent:
            raise Violation(f"must be a JSON object with {', '.join(absent)}")

    def describe(self) -> str:
        if not self.required_fields:
            return "a JSON object"
        fields = ", ".join(f"`{name}`" for name in self.required_fields)
        return f"a JSON object with {fields}"


@dataclass(frozen=True)
class TextValidator(Validator):
    """Free text between ``min_length`` and ``max_length`` characters."""

    kind: ClassVar[str] = "text"
    min_length: int = 1
    max_length: int | None = None

    def check(self, value: str) -> None:
        if len(value) < self.min_length:
            raise Violation(f"must be at least {self.min_length} characters")
        if self.max_length is not None and len(value) > self.max_length:
            raise Violation(f"must be at most {self.max_length} characters")

    def describe(self) -> str:
        if self.max_length is None:
            return f"text of at least {self.min_length} characters"
        return f"text of {self.min_length} to {self.max_length} characters"


VALIDATOR_KINDS: dict[str, type[Validator]] = {
    cls.kind: cls
    for cls in (
        RegexValidator,
        EnumValidator,
        UrlValidator,
        IntValidator,
        HostnameValidator,
        EmailValidator,
        PemValidator,
        JsonValidator,
        TextValidator,
    )
}


def build_validator(kind: str, options: dict[str, Any]) -> Validator:
    """Make the validator ``kind`` from its catalogue options.

    Raises ``ValueError`` or ``TypeError`` with a short reason when the kind or
    an option is wrong; the loader turns that into an error naming the field.
    """
    cls = VALIDATOR_KINDS.get(kind)
    if cls is None:
        known = ", ".join(VALIDATOR_KINDS)
        raise ValueError(f"unknown validator {kind!r}; use one of: {known}")
    allowed = {field.name for field in dataclasses.fields(cls)}
    unknown = sorted(str(name) for name in options if name not in allowed)
    if unknown:
        expected = ", ".join(sorted(allowed)) or "none"
        raise ValueError(f"{kind} has no option {unknown[0]!r}; options: {expected}")
    required = [
        field.name
        for field in dataclasses.fields(cls)
        if field.default is dataclasses.MISSING and field.name not in options
    ]
    if required:
        raise ValueError(f"{kind} needs the option {required[0]!r}")
    options = {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in options.items()
    }
    validator = cls(**options)
    if isinstance(validator, RegexValidator):
        re.compile(validator.pattern)
    return validator
