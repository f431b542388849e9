"""Bring one environment of a Vault to the state caldron needs.

Each step reads what exists, compares it with what is declared, and writes
only the difference, so a second run changes nothing and a run that failed
half-way (for want of permission, say) completes when it is run again.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from caldron.errors import InvalidInputError
from caldron.provisioning.policies import (
    DEFAULT_MOUNT,
    Policy,
    load_environment_policies,
    policy_name,
)
from caldron.provisioning.refusals import (
    ROLE_REFUSAL,
    explain_jwt_config_refusal,
    refusal_explained,
)
from caldron.vault.errors import translate_vault_errors

logger = logging.getLogger(__name__)

AUTH_METHODS = ("userpass", "approle", "jwt")
TOKEN_TTL = 3600
TOKEN_MAX_TTL = 4 * 3600


@dataclass(frozen=True)
class JwtOptions:
    """How the ``jwt`` auth method checks a CI provider's identity tokens.

    One key source is used: PEM public keys, a JWKS URL or an OIDC discovery
    URL. With none given, an existing configuration is left as it is.
    """

    pubkeys: tuple[str, ...] = ()
    jwks_url: str | None = None
    oidc_discovery_url: str | None = None
    bound_issuer: str | None = None
    audience: str = "caldron"
    environment_claim: str = "environment"
    user_claim: str = "sub"

    def config(self) -> dict[str, object] | None:
        """Return the ``auth/jwt/config`` body, or None when no source is set."""
        sources = [
            bool(self.pubkeys),
            bool(self.jwks_url),
            bool(self.oidc_discovery_url),
        ]
        if sum(sources) > 1:
            raise InvalidInputError(
                "give one JWT key source, not several",
                hint="use public keys, a JWKS URL or an OIDC discovery URL",
            )
        if not any(sources):
            return None
        body: dict[str, object] = {"bound_issuer": self.bound_issuer or ""}
        if self.pubkeys:
            body["jwt_validation_pubkeys"] = [key.strip() for key in self.pubkeys]
        if self.jwks_url:
            body["jwks_url"] = self.jwks_url
        if self.oidc_discovery_url:
            body["oidc_discovery_url"] = self.oidc_discovery_url
        return body


@dataclass(frozen=True)
class BootstrapOptions:
    """What to provision besides the environment itself."""

    mount: str = DEFAULT_MOUNT
    jwt: JwtOptions = field(default_factory=JwtOptions)
    policies_dir: Path | None = None


@dataclass(frozen=True)
class Change:
    """One thing bootstrap looked at and what it did: created, updated,
    unchanged, or skipped (with the reason in ``note``)."""

    subject: str
    action: str
    note: str = ""

    @property
    def changed(self) -> bool:
        """True when bootstrap wrote to Vault for this subject."""
        return self.action in ("created", "updated")

    def describe(self) -> str:
        """Return one line for people, e.g. ``created policy caldron-dev-read``."""
        line = f"{self.action} {self.subject}"
        return f"{line}: {self.note}" if self.note else line


def bootstrap_environment(
    client,
    env: str,
    options: BootstrapOptions,
    on_change: Callable[[Change], None] | None = None,
) -> list[Change]:
    """Provision ``env`` in the Vault behind ``client`` and return every change.

    ``on_change`` hears of each change as soon as it is made, so that a run
    which fails part-way has already said what it changed. The options are
    checked before the first request. The order matters only for readability
    of the output: every step stands on its own, so a re-run after a failure
    picks up where it stopped.
    """
    jwt_config = options.jwt.config()
    policies = load_environment_policies(
        env, mount=options.mount, policies_dir=options.policies_dir
    )
    steps: list[Callable[[], Iterator[Change]]] = [
        lambda: _ensure_kv_mount(client, options.mount),
        lambda: _ensure_policies(client, policies),
        lambda: _ensure_auth_methods(client),
        lambda: _ensure_approle_role(client, env),
        lambda: _ensure_jwt_config(client, jwt_config),
        lambda: _ensure_jwt_role(client, env, options.jwt),
    ]
    changes: list[Change] = []
    for step in steps:
        for change in step():
            logger.debug("caldron bootstrap: %s", change.describe())
            changes.append(change)
            if on_change is not None:
                on_change(change)
    return changes


def approle_role_name(env: str) -> str:
    """Return the AppRole role that CI of ``env`` logs in with (a writer)."""
    return f"caldron-{env}-ci"


def jwt_role_name(env: str) -> str:
    """Return the JWT role that a CI identity token of ``env`` maps to."""
    return f"caldron-{env}"


def _ensure_kv_mount(client, mount: str) -> Iterator[Change]:
    subject = f"secrets mount {mount}/ (kv v2)"
    with translate_vault_errors("sys/mounts", client=client):
        mounts = client.sys.list_mounted_secrets_engines()["data"]
    existing = mounts.get(f"{mount}/")
    if existing is None:
        with translate_vault_errors(f"sys/mounts/{mount}", client=client):
            client.sys.enable_secrets_engine(
                "kv",
                path=mount,
                options={"version": "2"},
                description="caldron integration secrets",
            )
        yield Change(subject, "created")
        return

    version = (existing.get("options") or {}).get("version")
    if existing.get("type") != "kv" or version != "2":
        raise InvalidInputError(
            f"mount {mount}/ exists but is {existing.get('type')} version {version}",
            hint="caldron needs a kv version 2 mount; pick another --mount name",
        )
    yield Change(subject, "unchanged")


def _ensure_policies(client, policies: tuple[Policy, ...]) -> Iterator[Change]:
    for policy in policies:
        path = f"sys/policies/acl/{policy.name}"
        with translate_vault_errors(path, client=client):
            existing = client.read(path)
        current = (existing or {}).get("data", {}).get("policy")
        if current == policy.rules:
            yield Change(f"policy {policy.name}", "unchanged")
            continue
        with translate_vault_errors(path, client=client):
            client.sys.create_or_update_acl_policy(policy.name, policy.rules)
        yield Change(
            f"policy {policy.name}", "created" if current is None else "updated"
        )


def _ensure_auth_methods(client) -> Iterator[Change]:
    with translate_vault_errors("sys/auth", client=client):
        enabled = client.sys.list_auth_methods()["data"]
    for method in AUTH_METHODS:
        subject = f"auth method {method}/"
        if f"{method}/" in enabled:
            yield Change(subject, "unchanged")
            continue
        with translate_vault_errors(f"sys/auth/{method}", client=client):
            client.sys.enable_auth_method(method, path=method)
        yield Change(subject, "created")


def _ensure_approle_role(client, env: str) -> Iterator[Change]:
    name = approle_role_name(env)
    declared = {
        "token_policies": [policy_name(env, "write")],
        "token_ttl": TOKEN_TTL,
        "token_max_ttl": TOKEN_MAX_TTL,
        "bind_secret_id": True,
    }
    yield _ensure_role(
        client, f"auth/approle/role/{name}", f"approle role {name}", declared
    )


def _ensure_jwt_config(client, declared: dict | None) -> Iterator[Change]:
    path = "auth/jwt/config"
    with translate_vault_errors(path, client=client):
        existing = client.read(path)
    current = (existing or {}).get("data")

    if declared is None:
        if _has_key_source(current):
            yield Change("jwt configuration", "unchanged")
        else:
            yield Change(
                "jwt configuration",
                "skipped",
                "no key source; pass --jwt-pubkey-file, --jwt-jwks-url or "
                "--jwt-oidc-discovery-url",
            )
        return

    if current is not None and _matches(current, declared):
        yield Change("jwt configuration", "unchanged")
        return
    with (
        translate_vault_errors(path, client=client),
        refusal_explained(client, "jwt configuration", explain_jwt_config_refusal),
    ):
        client.write_data(path, data=declared)
    action = "updated" if _has_key_source(current) else "created"
    yield Change("jwt configuration", action)


def _ensure_jwt_role(client, env: str, jwt: JwtOptions) -> Iterator[Change]:
    name = jwt_role_name(env)
    declared = {
        "role_type": "jwt",
        "user_claim": jwt.user_claim,
        "bound_audiences": [jwt.audience],
        "bound_claims": {jwt.environment_claim: env},
        "token_policies": [policy_name(env, "read")],
        "token_ttl": TOKEN_TTL,
        "token_max_ttl": TOKEN_MAX_TTL,
    }
    yield _ensure_role(client, f"auth/jwt/role/{name}", f"jwt role {name}", declared)


def _ensure_role(client, path: str, subject: str, declared: dict) -> Change:
    with translate_vault_errors(path, client=client):
        existing = client.read(path)
    current = (existing or {}).get("data")
    if current is not None and _matches(current, declared):
        return Change(subject, "unchanged")
    with (
        translate_vault_errors(path, client=client),
        refusal_explained(client, subject, lambda reasons: ROLE_REFUSAL),
    ):
        client.write_data(path, data=declared)
    return Change(subject, "created" if current is None else "updated")


def _matches(current: dict, declared: dict) -> bool:
    return all(current.get(key) == value for key, value in declared.items())


def _has_key_source(config: dict | None) -> bool:
    if not config:
        return False
    return bool(
        config.get("jwt_validation_pubkeys")
        or config.get("jwks_url")
        or config.get("oidc_discovery_url")
    )
