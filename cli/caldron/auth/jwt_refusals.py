"""What Vault refused in a jwt login, in caldron's words.

Vault says why it refused an identity token (a bad signature, issuer,
audience or expiry, a claim the role binds, an unknown role). Its text is
read only to pick one of the explanations below, and the name of a refused
claim; it is never shown as it is.
"""

import re

JWT_CHECKS_HINT = (
    "Vault checks the token's signature, issuer, audience, expiry and the "
    "claims the role binds; compare them with the options `caldron vault "
    "bootstrap` was given"
)
_JWT_REFUSALS = (
    (
        "token signature",
        "its signature matches none of the keys Vault has for jwt logins",
        "give `caldron vault bootstrap` the CI provider's signing key "
        "(--jwt-pubkey-file, --jwt-jwks-url or --jwt-oidc-discovery-url)",
    ),
    (
        "(iss)",
        "its issuer (iss claim) is not the bound issuer",
        "check --jwt-bound-issuer of `caldron vault bootstrap`",
    ),
    (
        "(aud)",
        "its audience (aud claim) is not one the role accepts",
        "request the token for the audience given to `caldron vault bootstrap` "
        "as --jwt-audience (default: caldron)",
    ),
    ("(exp)", "it has expired", "fetch a fresh identity token"),
    ("(nbf)", "it is not valid yet (nbf claim)", "check this machine's clock"),
    (
        "could not be found",
        "there is no such role",
        "run `caldron vault bootstrap --env ENV`, or check --role",
    ),
)
_CLAIM_REFUSAL = re.compile(r'claim "([\w.:/-]{1,64})" (does not match|is missing)')


def explain_jwt_refusal(reasons: str) -> tuple[str, str] | None:
    """Return what Vault refused in a jwt login and what to do, from the
    reasons Vault gave; None when they say nothing caldron recognises."""
    for marker, refused, hint in _JWT_REFUSALS:
        if marker in reasons:
            return refused, hint
    claim = _CLAIM_REFUSAL.search(reasons)
    if claim is None:
        return None
    name, problem = claim.groups()
    if problem == "is missing":
        return f"it has no {name} claim", f"the role requires a {name} claim"
    return (
        f"its {name} claim does not match the role",
        f"use a token issued for the environment of that role ({name} claim)",
    )
