"""Loading the catalogue: the real one is complete, broken ones are refused."""

import copy

import pytest
from click.testing import CliRunner
from fake_catalogue import VALID_INTEGRATION, valid_integration

from caldron.catalogue import CATEGORIES, STACK_OUTPUTS, load_catalogue
from caldron.errors import InvalidInputError
from caldron.main import cli

REQUIRED_SLUGS = {
    "payments": {"stripe", "paypal", "mollie"},
    "communication": {"ses-smtp", "sendgrid", "twilio", "fcm", "apns"},
    "storage": {"s3-storage", "cloudfront-cdn", "aws-backup"},
    "authentication": {"google-oauth", "github-oauth", "okta-oidc", "apple-sign-in"},
    "analytics": {"google-analytics", "sentry", "new-relic", "cloudwatch-alerts"},
}


def test_project_catalogue_holds_every_integration_of_every_category():
    catalogue = load_catalogue()

    for category, slugs in REQUIRED_SLUGS.items():
        found = {item.slug for item in catalogue.in_category(category)}
        assert found == slugs
    assert [item.category for item in catalogue.integrations] == sorted(
        (item.category for item in catalogue.integrations),
        key=list(CATEGORIES).index,
    )


def test_project_catalogue_sources_every_stack_output_exactly_once():
    catalogue = load_catalogue()

    specs = catalogue.key_specs()
    sourced = [spec.source_output for spec in specs if spec.source_output]

    assert sorted(sourced) == sorted(STACK_OUTPUTS)
    assert catalogue.key("SMTP_PASSWORD").source_output == "smtp_password"
    assert catalogue.key("SMTP_PASSWORD").secret is True


def test_backups_are_not_required_in_dev():
    spec = load_catalogue().key("BACKUP_VAULT_NAME")

    assert [
        env for env in ("local", "dev", "staging", "prod") if spec.is_required(env)
    ] == [
        "staging",
        "prod",
    ]


def _with_key(**changes) -> dict:
    entry = copy.deepcopy(VALID_INTEGRATION)
    entry["keys"][0].update(changes)
    return entry


def _with_docs(**changes) -> dict:
    entry = copy.deepcopy(VALID_INTEGRATION)
    entry["docs"].update(changes)
    return entry


def _without(mapping_path: tuple[str, ...], field: str) -> dict:
    entry = copy.deepcopy(VALID_INTEGRATION)
    target = entry
    for step in mapping_path:
        target = target[step][0] if step == "keys" else target[step]
    del target[field]
    return entry


BROKEN = [
    pytest.param(
        {"category": "payments", "integrations": [_with_key(secret="yes")]},
        "integration examplepay, field keys[0].secret: must be true or false",
        id="secret-not-boolean",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_with_key(required_in=["qa"])]},
        "integration examplepay, field keys[0].required_in: unknown environment 'qa'",
        id="unknown-environment",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_with_key(source="stack:smtp_pass")]},
        "integration examplepay, field keys[0].source: "
        "unknown stack output 'smtp_pass'",
        id="unknown-stack-output",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_with_key(source="pulumi")]},
        "integration examplepay, field keys[0].source: must be 'operator' or",
        id="unknown-source",
    ),
    pytest.param(
        {
            "category": "payments",
            "integrations": [_with_key(validator={"kind": "regx", "pattern": "x"})],
        },
        "integration examplepay, field keys[0].validator: unknown validator 'regx'",
        id="unknown-validator",
    ),
    pytest.param(
        {
            "category": "payments",
            "integrations": [_with_key(validator={"kind": "regex", "pattern": "(x"})],
        },
        "integration examplepay, field keys[0].validator.pattern: invalid regular",
        id="bad-regex",
    ),
    pytest.param(
        {
            "category": "payments",
            "integrations": [_with_key(validator={"kind": "regex", "patern": "x"})],
        },
        "field keys[0].validator: regex has no option 'patern'",
        id="misspelt-validator-option",
    ),
    pytest.param(
        {
            "category": "payments",
            "integrations": [_with_key(validator={"kind": "pem"})],
        },
        "field keys[0].validator: pem needs the option 'label'",
        id="missing-validator-option",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_with_key(example="ek_test_BAD")]},
        "integration examplepay, field keys[0].example: EXAMPLEPAY_KEY: the value must",
        id="example-fails-its-validator",
    ),
    pytest.param(
        {
            "category": "payments",
            "integrations": [_with_key(example="ek_live_fake0000")],
        },
        "field keys[0].example: must be a test value, never a live one",
        id="example-is-live",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_with_key(mode={"live": "x"})]},
        "field keys[0].mode: must be a mapping with live and test",
        id="mode-without-test",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_with_key(name="examplepay-key")]},
        "field keys[0].name: must be an UPPER_SNAKE_CASE variable name",
        id="bad-key-name",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_with_key(colour="red")]},
        "integration examplepay, field keys[0].colour: unknown field",
        id="unknown-key-field",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_without(("keys",), "description")]},
        "integration examplepay, field keys[0].description: must be a non-empty string",
        id="missing-description",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_without(("docs",), "testing")]},
        "integration examplepay, field docs.testing: must be a non-empty string",
        id="missing-docs-section",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_with_docs(links=[])]},
        "integration examplepay, field docs.links: must be a non-empty list",
        id="no-links",
    ),
    pytest.param(
        {
            "category": "payments",
            "integrations": [
                _with_docs(links=[{"title": "x", "url": "http://insecure.example"}])
            ],
        },
        "field docs.links[0].url: must be an https:// address",
        id="plain-http-link",
    ),
    pytest.param(
        {
            "category": "payments",
            "integrations": [valid_integration(slug="Example_Pay")],
        },
        "integration Example_Pay, field slug: must be lower-case words",
        id="bad-slug",
    ),
    pytest.param(
        {"category": "payments", "integrations": [_without((), "title")]},
        "integration examplepay, field title: must be a non-empty string",
        id="missing-title",
    ),
    pytest.param(
        {"category": "payments", "integrations": [valid_integration(keys=[])]},
        "integration examplepay, field keys: must be a non-empty list",
        id="no-keys",
    ),
    pytest.param(
        {"category": "billing", "integrations": [valid_integration()]},
        "field category: must be one of: payments, communication",
        id="unknown-category",
    ),
    pytest.param(
        {"category": "payments", "integrations": []},
        "field integrations: must be a non-empty list",
        id="empty-file",
    ),
    pytest.param(
        "category: payments\nintegrations: [\n",
        "invalid YAML at line",
        id="invalid-yaml",
    ),
]


@pytest.mark.parametrize(("document", "expected"), BROKEN)
def test_broken_catalogue_is_refused_naming_file_entry_and_field(
    write_catalogue, document, expected
):
    secrets_dir = write_catalogue({"payments.yaml": document})

    with pytest.raises(InvalidInputError) as raised:
        load_catalogue(secrets_dir)

    assert str(raised.value).startswith("payments.yaml: ")
    assert expected in str(raised.value)


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        pytest.param(
            valid_integration(),
            "integration examplepay, field slug: duplicate; also in a.yaml",
            id="duplicate-slug",
        ),
        pytest.param(
            valid_integration(slug="otherpay"),
            "integration otherpay, field keys.name: duplicate key EXAMPLEPAY_KEY; "
            "also in examplepay",
            id="duplicate-key",
        ),
    ],
)
def test_duplicates_across_files_are_refused(write_catalogue, second, expected):
    secrets_dir = write_catalogue(
        {
            "a.yaml": {"category": "payments", "integrations": [valid_integration()]},
            "b.yaml": {"category": "storage", "integrations": [second]},
        }
    )

    with pytest.raises(InvalidInputError) as raised:
        load_catalogue(secrets_dir)

    assert str(raised.value).startswith(f"b.yaml: {expected}")


def test_empty_catalogue_folder_is_refused(write_catalogue):
    secrets_dir = write_catalogue({})

    with pytest.raises(InvalidInputError, match="no catalogue files"):
        load_catalogue(secrets_dir)


def test_cli_reports_a_broken_catalogue_with_exit_code_3(write_catalogue, monkeypatch):
    document = {"category": "payments", "integrations": [_with_key(secret="yes")]}
    secrets_dir = write_catalogue({"payments.yaml": document})
    monkeypatch.setenv("CALDRON_SECRETS_DIR", str(secrets_dir))

    result = CliRunner().invoke(cli, ["docs", "--check"])

    assert result.exit_code == 3
    assert result.stderr.startswith(
        "Error: payments.yaml: integration examplepay, field keys[0].secret: "
        "must be true or false"
    )
    assert result.stdout == ""
