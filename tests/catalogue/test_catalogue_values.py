"""Checking values against the catalogue: formats, live/test rules, limits."""

import base64

import pytest

from caldron.catalogue import MAX_VALUE_BYTES, load_catalogue
from caldron.catalogue.validators import Violation, build_validator
from caldron.environments import ENVIRONMENTS
from caldron.errors import InvalidInputError

CATALOGUE = load_catalogue()
KEYS = CATALOGUE.key_specs()
NON_PROD = [env for env in ENVIRONMENTS if env != "prod"]


@pytest.mark.parametrize("spec", KEYS, ids=lambda spec: spec.name)
def test_every_fake_example_passes_its_own_validator_outside_prod(spec):
    for environment in NON_PROD:
        spec.check_value(spec.example, environment)


@pytest.mark.parametrize(
    "spec",
    [spec for spec in KEYS if spec.secret],
    ids=lambda spec: spec.name,
)
def test_every_secret_example_is_obviously_fake(spec):
    text = spec.example
    if text.startswith("-----BEGIN"):
        text = base64.b64decode("".join(text.splitlines()[1:-1])).decode()

    assert "fake" in text.lower() or set(text) == {"0"}


LIVE_AND_TEST = [
    (
        "STRIPE_SECRET_KEY",
        "sk_live_FAKE0000000000000000000000",
        "sk_test_FAKE0000000000",
    ),
    (
        "STRIPE_SECRET_KEY",
        "rk_live_FAKE0000000000000000000000",
        "rk_test_FAKE0000000000",
    ),
    ("STRIPE_PUBLISHABLE_KEY", "pk_live_FAKE000000000000", "pk_test_FAKE000000000000"),
    ("PAYPAL_MODE", "live", "sandbox"),
    (
        "MOLLIE_API_KEY",
        "live_FAKE00000000000000000000000000",
        "test_FAKE00000000000000000000000000",
    ),
]


@pytest.mark.parametrize(("key", "live", "test"), LIVE_AND_TEST)
@pytest.mark.parametrize("environment", NON_PROD)
def test_live_payment_value_is_refused_outside_prod(key, live, test, environment):
    spec = CATALOGUE.key(key)

    spec.check_value(test, environment)
    with pytest.raises(InvalidInputError) as raised:
        spec.check_value(live, environment)

    assert str(raised.value).startswith(
        f"{key}: a live value is refused in {environment}; only prod"
    )
    if len(live) > 8:
        assert live not in str(raised.value)


@pytest.mark.parametrize(("key", "live", "test"), LIVE_AND_TEST)
def test_test_payment_value_is_refused_in_prod(key, live, test):
    spec = CATALOGUE.key(key)

    spec.check_value(live, "prod")
    with pytest.raises(InvalidInputError) as raised:
        spec.check_value(test, "prod")

    assert str(raised.value).startswith(f"{key}: a test or sandbox value is refused")
    if len(test) > 8:
        assert test not in str(raised.value)


@pytest.mark.parametrize(
    ("key", "value", "rule"),
    [
        (
            "STRIPE_SECRET_KEY",
            "pk_test_FAKE0000000000",
            "must match (sk|rk)_(test|live)_",
        ),
        ("STRIPE_WEBHOOK_SECRET", "whsec_short", "must match whsec_"),
        ("SMTP_PORT", "8025", "must be one of 587, 465, 2587, 2465, 25"),
        ("SMTP_HOST", "Email-SMTP.example", "must be a lower-case DNS host name"),
        ("MAIL_FROM_ADDRESS", "no-reply", "must be an email address"),
        (
            "OKTA_ISSUER",
            "http://caldron-fake.okta.com",
            "must be a https URL with a host",
        ),
        (
            "GOOGLE_OAUTH_REDIRECT_URI",
            "localhost:8000/cb",
            "must be a https or http URL",
        ),
        ("APNS_AUTH_KEY", "FAKE-not-a-pem", "must be a PEM block from -----BEGIN"),
        (
            "APNS_AUTH_KEY",
            "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n",
            "must hold only base64 lines",
        ),
        ("FCM_SERVICE_ACCOUNT_JSON", "{not json", "must be a JSON document"),
        ("FCM_SERVICE_ACCOUNT_JSON", "[1, 2]", "must be a JSON object"),
        (
            "FCM_SERVICE_ACCOUNT_JSON",
            '{"type": "service_account", "project_id": "fake"}',
            "must be a JSON object with client_email, private_key",
        ),
        ("TWILIO_FROM_NUMBER", "0612345678", r"must match \+[1-9]"),
        ("STRIPE_SECRET_KEY", "", "must match"),
    ],
)
def test_value_in_the_wrong_format_is_refused_naming_key_and_rule(key, value, rule):
    with pytest.raises(InvalidInputError) as raised:
        CATALOGUE.key(key).check_value(value, "dev")

    message = str(raised.value)
    assert message.startswith(f"{key}: the value {rule}")
    assert "(expected " in message
    if value:
        assert value not in message


def test_pem_value_keeps_its_trailing_newline_optional():
    spec = CATALOGUE.key("APNS_AUTH_KEY")
    body = (
        "-----BEGIN PRIVATE KEY-----\n"
        "MIIBfakeLINEone\n"
        "QUJDfakeLINEtwo\n"
        "-----END PRIVATE KEY-----"
    )

    spec.check_value(body + "\n", "prod")
    spec.check_value(body, "prod")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("sk_test_FAKE\0000000000000", "STRIPE_SECRET_KEY: the value holds a NUL byte"),
        (
            "sk_test_" + "F" * MAX_VALUE_BYTES,
            f"STRIPE_SECRET_KEY: the value is {MAX_VALUE_BYTES + 8} bytes, over the "
            f"limit of {MAX_VALUE_BYTES} bytes",
        ),
    ],
    ids=["nul-byte", "oversize"],
)
def test_nul_and_oversize_values_are_refused_for_every_key(value, message):
    with pytest.raises(InvalidInputError) as raised:
        CATALOGUE.key("STRIPE_SECRET_KEY").check_value(value, "dev")

    assert str(raised.value).startswith(message)
    assert "FAKE" not in str(raised.value)


def test_size_limit_counts_utf8_bytes_not_characters():
    spec = CATALOGUE.key("MAIL_FROM_ADDRESS")
    at_limit = "x" * (MAX_VALUE_BYTES - 20) + "@fake.example"
    two_byte_letters = "é" * (MAX_VALUE_BYTES // 2 + 1)

    spec.check_format(at_limit)
    with pytest.raises(InvalidInputError, match="over the limit"):
        spec.check_format(two_byte_letters)


@pytest.mark.parametrize(
    ("kind", "options", "good", "bad", "rule"),
    [
        (
            "int",
            {"minimum": 1, "maximum": 65535},
            "587",
            "70000",
            "must be at most 65535",
        ),
        ("int", {"minimum": 1}, "1", "0", "must be at least 1"),
        ("int", {}, "-4", "4.5", "must be a decimal integer"),
        ("text", {"min_length": 2, "max_length": 4}, "abc", "abcde", "at most 4"),
        ("text", {}, " ", "", "must be at least 1 characters"),
        ("enum", {"values": ["a", "b"]}, "b", "c", "must be one of a, b"),
        ("url", {}, "https://fake.example/x", "https://", "must be a https URL"),
        ("url", {}, "https://fake.example/x", "https://fake.example/a b", "whitespace"),
        ("email", {}, "ops@fake.example", "ops@localhost", "must be an email address"),
        ("hostname", {}, "a-b.example", "-ab.example", "must be a lower-case DNS"),
        ("regex", {"pattern": "[a-z]+"}, "abc", "abc1", "must match [a-z]+"),
    ],
)
def test_validator_kinds(kind, options, good, bad, rule):
    validator = build_validator(kind, options)

    validator.check(good)
    with pytest.raises(Violation) as raised:
        validator.check(bad)

    assert rule in raised.value.rule


def test_regex_must_match_the_whole_value():
    spec = CATALOGUE.key("STRIPE_SECRET_KEY")

    with pytest.raises(InvalidInputError, match="must match"):
        spec.check_value("sk_test_FAKE0000000000 trailing", "dev")
    with pytest.raises(InvalidInputError, match="must match"):
        spec.check_value("xsk_test_FAKE0000000000", "dev")


def test_unknown_key_and_unknown_integration_are_invalid_input():
    with pytest.raises(InvalidInputError, match=r"^unknown key STRIPE_SECRET "):
        CATALOGUE.integration_for_key("STRIPE_SECRET")
    with pytest.raises(InvalidInputError, match=r"^unknown integration strip "):
        CATALOGUE.get("strip")
    with pytest.raises(
        InvalidInputError, match=r"^integration stripe has no key PAYPAL"
    ):
        CATALOGUE.get("stripe").key("PAYPAL_MODE")


def test_lookups_return_the_owning_integration_and_key():
    stripe = CATALOGUE.get("stripe")

    assert CATALOGUE.integration_for_key("STRIPE_WEBHOOK_SECRET") is stripe
    assert stripe.key("STRIPE_WEBHOOK_SECRET").integration == "stripe"
    assert stripe.vault_path("staging") == "staging/stripe"
    assert CATALOGUE.key("CDN_DOMAIN_NAME").source == "stack output `cdn_domain_name`"
    assert CATALOGUE.key("STRIPE_SECRET_KEY").source == "operator"
    assert len(KEYS) == len({spec.name for spec in KEYS})
