"""Read the catalogue from ``secrets/catalogue/*.yaml`` and validate it.

Each file declares one ``category`` and a list of ``integrations``. Loading
checks every field, so a mistake surfaces at once as one ``InvalidInputError``
naming the file, the integration and the field, for example
``payments.yaml: integration stripe, field keys[0].validator.pattern: ...``.
"""

import logging
import re
from pathlib import Path
from typing import Any

import yaml

from caldron.catalogue.model import (
    CATEGORIES,
    STACK_OUTPUTS,
    Catalogue,
    Docs,
    Integration,
    KeySpec,
    Link,
    ModeRule,
)
from caldron.catalogue.parse_cache import load_parsed
from caldron.catalogue.validators import Validator, build_validator
from caldron.environments import ENVIRONMENTS
from caldron.errors import CaldronError, InvalidInputError
from caldron.project import find_secrets_dir

logger = logging.getLogger(__name__)

# The C loader (libyaml) reads the catalogue about fifteen times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
KEY_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
INTEGRATION_FIELDS = {"slug", "title", "kind", "keys", "docs"}
KEY_FIELDS = {
    "name",
    "secret",
    "required_in",
    "source",
    "validator",
    "mode",
    "description",
    "example",
}
DOCS_TEXT_FIELDS = (
    "overview",
    "configuration",
    "authentication",
    "endpoints",
    "rate_limits",
    "error_handling",
    "testing",
    "monitoring",
)


def load_catalogue(secrets_dir: Path | None = None) -> Catalogue:
    """Load and validate every catalogue file under ``secrets_dir/catalogue``.

    Without ``secrets_dir`` the project's own ``secrets/`` folder is used.
    """
    folder = (secrets_dir or find_secrets_dir()) / "catalogue"
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise InvalidInputError(
            f"{folder}: no catalogue files (*.yaml)",
            hint="the catalogue declares every integration in YAML files there",
        )

    integrations = [item for path in files for item in _read_catalogue_file(path)]
    _check_unique(integrations)
    order = list(CATEGORIES)
    integrations.sort(key=lambda item: order.index(item.category))
    logger.debug("loaded %d integrations from %s", len(integrations), folder)
    return Catalogue(tuple(integrations))


class _Place:
    """Where in the catalogue a check is looking, for error messages."""

    def __init__(self, path: Path, entry: str | None = None) -> None:
        self.path = path
        self.entry = entry

    def fail(self, field: str, problem: str) -> InvalidInputError:
        where = f"{self.path.name}: "
        if self.entry is not None:
            where += f"integration {self.entry}, "
        return InvalidInputError(
            f"{where}field {field}: {problem}",
            hint=f"fix {self.path}",
        )


def _read_catalogue_file(path: Path) -> list[Integration]:
    document = _parse_yaml(path)
    place = _Place(path)
    if not isinstance(document, dict):
        raise place.fail("(top level)", "must be a mapping with category, integrations")
    _reject_unknown_fields(document, {"category", "integrations"}, place, "")

    category = document.get("category")
    if category not in CATEGORIES:
        raise place.fail("category", f"must be one of: {', '.join(CATEGORIES)}")
    entries = document.get("integrations")
    if not isinstance(entries, list) or not entries:
        raise place.fail("integrations", "must be a non-empty list")

    return [
        _read_integration(entry, category, _Place(path, _entry_label(entry, index)))
        for index, entry in enumerate(entries)
    ]


def _parse_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError(
            f"{path}: cannot read ({error.__class__.__name__})"
        ) from None
    try:
        return load_parsed(text, _load_yaml)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise InvalidInputError(
            f"{path.name}: invalid YAML{line}: {problem}", hint=f"fix {path}"
        ) from None


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (libyaml SafeLoader)


def _entry_label(entry: Any, index: int) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("slug"), str):
        return entry["slug"]
    return f"#{index + 1}"


def _read_integration(entry: Any, category: str, place: _Place) -> Integration:
    if not isinstance(entry, dict):
        raise place.fail("(entry)", "must be a mapping")
    _reject_unknown_fields(entry, INTEGRATION_FIELDS, place, "")

    slug = _require_text(entry, "slug", place)
    if SLUG.fullmatch(slug) is None:
        raise place.fail("slug", "must be lower-case words joined by '-'")
    keys = entry.get("keys")
    if not isinstance(keys, list) or not keys:
        raise place.fail("keys", "must be a non-empty list")

    return Integration(
        slug=slug,
        category=category,
        kind=_require_text(entry, "kind", place),
        title=_require_text(entry, "title", place),
        keys=tuple(
            _read_key(key, slug, place, f"keys[{index}]")
            for index, key in enumerate(keys)
        ),
        docs=_read_docs(entry.get("docs"), place),
        source_file=place.path.name,
    )


def _read_key(entry: Any, slug: str, place: _Place, field: str) -> KeySpec:
    if not isinstance(entry, dict):
        raise place.fail(field, "must be a mapping")
    _reject_unknown_fields(entry, KEY_FIELDS, place, field)

    name = _require_text(entry, "name", place, field)
    if KEY_NAME.fullmatch(name) is None:
        raise place.fail(f"{field}.name", "must be an UPPER_SNAKE_CASE variable name")
    secret = entry.get("secret")
    if not isinstance(secret, bool):
        raise place.fail(f"{field}.secret", "must be true or false")

    spec = KeySpec(
        name=name,
        integration=slug,
        secret=secret,
        required_in=_read_environments(entry.get("required_in"), place, field),
        source_output=_read_source(entry.get("source"), place, field),
        validator=_read_validator(entry.get("validator"), place, field),
        description=_require_text(entry, "description", place, field),
        example=_require_text(entry, "example", place, field, strip=False),
        mode=_read_mode(entry.get("mode"), place, field),
    )
    try:
        spec.check_format(spec.example)
    except CaldronError as error:
        raise place.fail(f"{field}.example", str(error)) from None
    if spec.mode is not None and re.match(spec.mode.live, spec.example):
        raise place.fail(f"{field}.example", "must be a test value, never a live one")
    return spec


def _read_environments(value: Any, place: _Place, field: str) -> frozenset[str]:
    known = ", ".join(ENVIRONMENTS)
    if not isinstance(value, list):
        raise place.fail(f"{field}.required_in", f"must be a list drawn from {known}")
    unknown = [item for item in value if item not in ENVIRONMENTS]
    if unknown:
        raise place.fail(
            f"{field}.required_in", f"unknown environment {unknown[0]!r}; use {known}"
        )
    return frozenset(value)


def _read_source(value: Any, place: _Place, field: str) -> str | None:
    if value == "operator":
        return None
    if isinstance(value, str) and value.startswith("stack:"):
        output = value.removeprefix("stack:")
        if output in STACK_OUTPUTS:
            return output
        raise place.fail(
            f"{field}.source",
            f"unknown stack output {output!r}; use one of: {', '.join(STACK_OUTPUTS)}",
        )
    raise place.fail(f"{field}.source", "must be 'operator' or 'stack:<output name>'")


def _read_validator(value: Any, place: _Place, field: str) -> Validator:
    field = f"{field}.validator"
    if not isinstance(value, dict) or not isinstance(value.get("kind"), str):
        raise place.fail(field, "must be a mapping with a kind")
    options = {name: option for name, option in value.items() if name != "kind"}
    try:
        return build_validator(value["kind"], options)
    except re.error as error:
        raise place.fail(
            f"{field}.pattern", f"invalid regular expression: {error}"
        ) from None
    except (TypeError, ValueError) as error:
        raise place.fail(field, str(error)) from None


def _read_mode(value: Any, place: _Place, field: str) -> ModeRule | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"live", "test"}:
        raise place.fail(f"{field}.mode", "must be a mapping with live and test")
    for side in ("live", "test"):
        try:
            re.compile(value[side])
        except (re.error, TypeError) as error:
            raise place.fail(
                f"{field}.mode.{side}", f"invalid pattern: {error}"
            ) from None
    return ModeRule(live=value["live"], test=value["test"])


def _read_docs(value: Any, place: _Place) -> Docs:
    if not isinstance(value, dict):
        raise place.fail("docs", "must be a mapping of page sections")
    _reject_unknown_fields(value, {*DOCS_TEXT_FIELDS, "links"}, place, "docs")
    texts = {
        name: _require_text(value, name, place, "docs") for name in DOCS_TEXT_FIELDS
    }

    links = value.get("links")
    if not isinstance(links, list) or not links:
        raise place.fail("docs.links", "must be a non-empty list of title and url")
    return Docs(
        **texts,
        links=tuple(_read_link(link, place, index) for index, link in enumerate(links)),
    )


def _read_link(value: Any, place: _Place, index: int) -> Link:
    field = f"docs.links[{index}]"
    if not isinstance(value, dict) or set(value) != {"title", "url"}:
        raise place.fail(field, "must be a mapping with title and url")
    url = _require_text(value, "url", place, field)
    if not url.startswith("https://"):
        raise place.fail(f"{field}.url", "must be an https:// address")
    return Link(title=_require_text(value, "title", place, field), url=url)


def _require_text(
    mapping: dict, name: str, place: _Place, parent: str = "", *, strip: bool = True
) -> str:
    value = mapping.get(name)
    field = f"{parent}.{name}" if parent else name
    if not isinstance(value, str) or not value.strip():
        raise place.fail(field, "must be a non-empty string")
    return value.strip() if strip else value


def _reject_unknown_fields(
    mapping: dict, known: set, place: _Place, parent: str
) -> None:
    for name in mapping:
        if name not in known:
            field = f"{parent}.{name}" if parent else str(name)
            raise place.fail(
                field, f"unknown field; expected {', '.join(sorted(known))}"
            )


def _check_unique(integrations: list[Integration]) -> None:
    slugs: dict[str, str] = {}
    keys: dict[str, str] = {}
    for integration in integrations:
        place = _Place(Path(integration.source_file), integration.slug)
        if integration.slug in slugs:
            raise place.fail("slug", f"duplicate; also in {slugs[integration.slug]}")
        slugs[integration.slug] = integration.source_file
        for spec in integration.keys:
            if spec.name in keys:
                raise place.fail(
                    "keys.name", f"duplicate key {spec.name}; also in {keys[spec.name]}"
                )
            keys[spec.name] = integration.slug
