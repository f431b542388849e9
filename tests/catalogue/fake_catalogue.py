"""A minimal valid catalogue entry that tests copy and break one field at a time."""

import copy

import yaml

VALID_INTEGRATION = {
    "slug": "examplepay",
    "title": "ExamplePay",
    "kind": "card payments",
    "keys": [
        {
            "name": "EXAMPLEPAY_KEY",
            "secret": True,
            "required_in": ["dev", "prod"],
            "source": "operator",
            "validator": {"kind": "regex", "pattern": "ek_(test|live)_[a-z0-9]{8}"},
            "mode": {"live": "ek_live_", "test": "ek_test_"},
            "description": "Key of the fake payment service.",
            "example": "ek_test_fake0000",
        }
    ],
    "docs": {
        "overview": "Overview text.",
        "configuration": "Configuration text.",
        "authentication": "Authentication text.",
        "endpoints": "Endpoints text.",
        "rate_limits": "Rate limits text.",
        "error_handling": "Error handling text.",
        "testing": "Testing text.",
        "monitoring": "Monitoring text.",
        "links": [{"title": "Home", "url": "https://examplepay.example/docs"}],
    },
}


def valid_integration(**changes) -> dict:
    """A deep copy of the valid integration with top-level ``changes``."""
    entry = copy.deepcopy(VALID_INTEGRATION)
    entry.update(changes)
    return entry


def write_catalogue_files(secrets_dir, files: dict[str, object]):
    """Write ``{file name: document or YAML text}`` under ``secrets_dir/catalogue``."""
    folder = secrets_dir / "catalogue"
    folder.mkdir(parents=True, exist_ok=True)
    for name, document in files.items():
        text = document if isinstance(document, str) else yaml.safe_dump(document)
        (folder / name).write_text(text, encoding="utf-8")
    return secrets_dir
