"""Fill a template's variables from Vault, for ``env pull`` and ``run``.

Reading an environment costs one request per integration that the template
draws on, made concurrently; the result keeps the template's order and
records which Vault path and version each value came from.
"""

import logging
from dataclasses import dataclass, field

from caldron.errors import InvalidInputError

logger = logging.getLogger(__name__)


@dataclass
class Resolution:
    """The variables of one rendering and where their values came from."""

    environment: str
    entries: list[tuple[str, str]] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    secret_keys: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    @property
    def secret_entries(self) -> dict[str, str]:
        """The entries whose keys the catalogue marks secret."""
        return {key: value for key, value in self.entries if key in self.secret_keys}


def resolve_template(store, catalogue, template, environment: str) -> Resolution:
    """Read what ``template`` needs from Vault and return its variables.

    A from-Vault key absent from Vault takes the template's default where it
    has one; otherwise it is missing, which is an error when the catalogue
    requires that key in ``environment`` (every such key is listed) and the
    key is left out of the rendering when it is optional.
    """
    vault_entries = [entry for entry in template.entries if entry.from_vault]
    owners = {
        entry.key: catalogue.integration_for_key(entry.key) for entry in vault_entries
    }
    slugs = list(dict.fromkeys(owner.slug for owner in owners.values()))
    stored = store.read_many(environment, slugs) if slugs else {}

    resolution = Resolution(environment)
    resolution.secret_keys = {
        key for key, owner in owners.items() if owner.key(key).secret
    }
    for slug in slugs:
        secret = stored.get(slug)
        if secret is not None:
            resolution.sources.append((f"{environment}/{slug}", secret.version))

    refused = []
    for entry in template.entries:
        value = _value_for(entry, owners, stored)
        if value is not None:
            if entry.from_vault:
                spec = owners[entry.key].key(entry.key)
                _check_stored_value(spec, value, environment, resolution, refused)
            resolution.entries.append((entry.key, value))
            continue
        if entry.from_vault and owners[entry.key].key(entry.key).is_required(
            environment
        ):
            resolution.missing.append(entry.key)
        else:
            logger.debug("leaving out optional %s: no value in Vault", entry.key)

    if refused:
        raise InvalidInputError(
            f"Vault holds values that {environment} must not use: "
            + "; ".join(refused),
            hint=f"push the right values with 'caldron secrets push --env "
            f"{environment}'",
        )
    if resolution.missing:
        raise InvalidInputError(
            f"{environment} lacks required values for: "
            + ", ".join(resolution.missing),
            hint=f"push them with 'caldron secrets push --env {environment}'",
        )
    return resolution


def _value_for(entry, owners, stored) -> str | None:
    if not entry.from_vault:
        return entry.default
    secret = stored.get(owners[entry.key].slug)
    if secret is not None and entry.key in secret.data:
        return secret.data[entry.key]
    return entry.default


def _check_stored_value(spec, value, environment, resolution, refused) -> None:
    """A stored value in the wrong format is rendered with a warning; a live
    value outside prod, or a test value in prod, is refused."""
    if "\x00" in value:
        refused.append(f"{spec.name}: holds a NUL byte, which no environment can carry")
        return
    try:
        spec.check_format(value)
    except InvalidInputError as error:
        resolution.warnings.append(f"{error.message} (rendered as stored)")
    try:
        spec.check_mode(value, environment)
    except InvalidInputError as error:
        refused.append(error.message)
