"""What the current token is: its policies and how long it has left."""

from dataclasses import dataclass

from caldron.vault.errors import translate_vault_errors


@dataclass(frozen=True)
class TokenInfo:
    """Vault's description of a token, without the token or its accessor."""

    display_name: str
    policies: tuple[str, ...]
    ttl: int
    creation_ttl: int
    renewable: bool
    expire_time: str | None

    @property
    def expires(self) -> bool:
        """False for a token without a time limit (root tokens)."""
        return self.ttl > 0 or self.expire_time is not None


def describe_token(client) -> TokenInfo:
    """Look up the client's own token (``auth/token/lookup-self``)."""
    with translate_vault_errors("auth/token/lookup-self"):
        data = client.auth.token.lookup_self()["data"]
    policies = sorted({*data.get("policies", []), *data.get("identity_policies", [])})
    return TokenInfo(
        display_name=data.get("display_name") or "",
        policies=tuple(policies),
        ttl=int(data.get("ttl") or 0),
        creation_ttl=int(data.get("creation_ttl") or 0),
        renewable=bool(data.get("renewable")),
        expire_time=data.get("expire_time"),
    )


def format_duration(seconds: int) -> str:
    """Return ``seconds`` as people read it: ``2h05m``, ``4m30s``, ``12s``."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"
