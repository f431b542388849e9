"""Fixtures for provisioning and login tests: a Vault with nothing of
caldron's in it, and identity tokens signed with a key made for the test."""

import base64
import json
import time
import uuid
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from caldron.environments import ENVIRONMENTS
from caldron.provisioning import BootstrapOptions, JwtOptions, bootstrap_environment
from caldron.provisioning.policies import ROLES, policy_name

AUDIENCE = "caldron"
ISSUER = "https://ci.example.test"


@dataclass
class BlankVault:
    """The session's server with caldron's auth methods and policies removed,
    and a fresh name for the KV mount that bootstrap will create."""

    server: object
    mount: str

    @property
    def addr(self) -> str:
        return self.server.addr

    def client(self, token: str | None = None):
        return self.server.client(token)


@pytest.fixture
def blank_vault(openbao) -> BlankVault:
    root = openbao.client()
    for method in ("userpass", "approle", "jwt"):
        root.sys.disable_auth_method(method)
    for environment in ENVIRONMENTS:
        for role in ROLES:
            root.sys.delete_acl_policy(policy_name(environment, role))
    mount = f"caldron-{uuid.uuid4().hex[:8]}"
    yield BlankVault(openbao, mount)
    root.sys.disable_secrets_engine(mount)


class IdentityTokenSigner:
    """Signs RS256 JWTs the way a CI provider would, with a test key."""

    def __init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def public_pem(self) -> str:
        return (
            self._key.public_key()
            .public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
            .decode()
        )

    def sign(self, environment: str, /, **overrides) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": "repo:example/caldron:environment:" + environment,
            "aud": AUDIENCE,
            "environment": environment,
            "iat": now,
            "nbf": now - 5,
            "exp": now + 300,
            **overrides,
        }
        header = {"alg": "RS256", "typ": "JWT"}
        signing_input = f"{_encode(header)}.{_encode(claims)}".encode()
        signature = self._key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input.decode()}.{_b64(signature)}"


@pytest.fixture(scope="session")
def signer() -> IdentityTokenSigner:
    return IdentityTokenSigner()


@pytest.fixture(scope="session")
def stranger() -> IdentityTokenSigner:
    """A signer whose key Vault was never told about."""
    return IdentityTokenSigner()


@pytest.fixture
def bootstrapped(blank_vault, signer) -> BlankVault:
    """``blank_vault`` with dev, staging and prod bootstrapped, jwt configured
    with the test signer's public key."""
    options = BootstrapOptions(
        mount=blank_vault.mount,
        jwt=JwtOptions(pubkeys=(signer.public_pem,), bound_issuer=ISSUER),
    )
    for environment in ("dev", "staging", "prod"):
        bootstrap_environment(blank_vault.client(), environment, options)
    return blank_vault


def _encode(document: dict) -> str:
    return _b64(json.dumps(document, separators=(",", ":")).encode())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
