"""Loading ``.env`` templates: structure, Vault marks, errors, BC-06."""

import pytest
from dotenv import dotenv_values

from caldron.catalogue import load_catalogue
from caldron.errors import InvalidInputError
from caldron.template import (
    CONSUMERS,
    TemplateEntry,
    default_template_path,
    load_template,
)

CATALOGUE = load_catalogue()
KEYS = CATALOGUE.key_specs()


@pytest.fixture
def write_template(tmp_path):
    """Return a function writing ``text`` to a template file and its path."""

    def write(text: str, name: str = "app.env.example"):
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8"))
        return path

    return write


def test_bc06_export_prefixes_give_the_right_keys(write_template):
    path = write_template(
        "# Port the app listens on.\n"
        "export port_number=8000\n"
        "# Token of the report service.\n"
        "export   REPORT_TOKEN=rt-fake-01\n"
        "# A flag whose name starts with the letters of export.\n"
        "exported_flag=yes\n"
    )

    template = load_template(path, CATALOGUE)

    assert [(e.key, e.default, e.exported) for e in template.entries] == [
        ("port_number", "8000", True),
        ("REPORT_TOKEN", "rt-fake-01", True),
        ("exported_flag", "yes", False),
    ]
    assert dotenv_values(path) == {
        "port_number": "8000",
        "REPORT_TOKEN": "rt-fake-01",
        "exported_flag": "yes",
    }


def test_vault_marks_descriptions_defaults_and_consumer(write_template):
    path = write_template(
        "# Header of the file, not tied to a variable.\n"
        "# caldron:consumer=node-dotenv\n"
        "\n"
        "# Stripe secret key.\n"
        "# Comes from Vault.\n"
        "# caldron:vault\n"
        "export\tSTRIPE_SECRET_KEY=\n"
        "\n"
        "# SMTP port, with a fallback when Vault has none.\n"
        "# caldron:vault\n"
        "SMTP_PORT=587\n"
        "# Greeting shown on the home page.\n"
        'GREETING="Hello\n'
        'world"\n'
        "# Log level.\n"
        "LOG_LEVEL=  # left empty on purpose\n"
    )

    template = load_template(path, CATALOGUE)

    assert template.consumer == "node-dotenv"
    assert template.entries == (
        TemplateEntry(
            "STRIPE_SECRET_KEY",
            None,
            True,
            "Stripe secret key. Comes from Vault.",
            7,
            True,
        ),
        TemplateEntry(
            "SMTP_PORT",
            "587",
            True,
            "SMTP port, with a fallback when Vault has none.",
            11,
        ),
        TemplateEntry(
            "GREETING", "Hello\nworld", False, "Greeting shown on the home page.", 13
        ),
        TemplateEntry("LOG_LEVEL", "", False, "Log level.", 16),
    )
    assert template.vault_keys() == ("STRIPE_SECRET_KEY", "SMTP_PORT")


def test_windows_line_endings_parse_the_same(write_template):
    path = write_template(
        "# caldron:vault\r\n# Mode.\r\nPAYPAL_MODE=\r\n# Level.\r\nLEVEL=info\r\n"
    )

    template = load_template(path, CATALOGUE)

    assert [(e.key, e.line, e.from_vault, e.default) for e in template.entries] == [
        ("PAYPAL_MODE", 3, True, None),
        ("LEVEL", 5, False, "info"),
    ]


BROKEN_TEMPLATES = [
    pytest.param(
        "# Fine.\nGOOD=1\nthis is not an assignment\n",
        "line 3: is not a KEY=value assignment or a comment",
        id="malformed-line",
    ),
    pytest.param(
        "# One.\nexport PORT=1\n# Two.\nPORT=2\n",
        "line 4: key PORT is a duplicate of line 2",
        id="duplicate-with-and-without-export",
    ),
    pytest.param(
        "# caldron:consumer=dotenv-rust\n",
        "line 1: names unknown consumer 'dotenv-rust'; use one of: python-dotenv",
        id="unknown-consumer",
    ),
    pytest.param(
        "# caldron:consumer=shell\n# caldron:consumer=json\n",
        "line 2: declares the consumer a second time",
        id="consumer-twice",
    ),
    pytest.param(
        "# Key.\n# caldron:secret\nKEY=\n",
        "line 2: has unknown directive 'secret'",
        id="unknown-directive",
    ),
    pytest.param(
        "# Not in the catalogue.\n# caldron:vault\nSTRIPE_SECRET=\n",
        "line 3: key STRIPE_SECRET is marked caldron:vault but is not in the catalogue",
        id="vault-key-unknown-to-catalogue",
    ),
    pytest.param(
        "# Secret with a value.\n"
        "# caldron:vault\n"
        "STRIPE_SECRET_KEY=sk_test_FAKE0000000000\n",
        "line 3: key STRIPE_SECRET_KEY is secret, so the template must leave its value",
        id="secret-with-default",
    ),
    pytest.param(
        "# Described.\nA=1\nB=2\n",
        "line 3: key B has no description comment above it",
        id="undocumented-key",
    ),
    pytest.param(
        "# Separated by a blank line.\n\nA=1\n",
        "line 3: key A has no description comment above it",
        id="description-not-adjacent",
    ),
    pytest.param(
        "# Quoted key with a dash.\n'A-B'=1\n",
        "line 2: key 'A-B' is not a valid variable name",
        id="bad-variable-name",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN_TEMPLATES)
def test_broken_template_is_refused_naming_file_line_and_key(
    write_template, text, expected
):
    path = write_template(text)

    with pytest.raises(InvalidInputError) as raised:
        load_template(path, CATALOGUE)

    assert str(raised.value).startswith(f"{path}, {expected}")
    assert "sk_test_FAKE" not in str(raised.value)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp / "missing.env.example", "does not exist"),
        (lambda tmp: tmp, "is a folder, not a file"),
    ],
    ids=["missing", "folder"],
)
def test_unreadable_template_is_invalid_input(tmp_path, make, expected):
    path = make(tmp_path)

    with pytest.raises(InvalidInputError, match=expected):
        load_template(path, CATALOGUE)


def test_application_template_covers_every_catalogued_key_from_vault():
    path = default_template_path()
    template = load_template(path)

    assert path.name == "app.env.example"
    assert path.parent.name == "templates"
    assert template.consumer in CONSUMERS
    assert set(template.vault_keys()) == {spec.name for spec in KEYS}
    assert all(
        entry.default is not None for entry in template.entries if not entry.from_vault
    )
    assert list(dotenv_values(path, interpolate=False)) == list(template.keys())
