"""``caldron scan --env``: an environment's values in Vault, looked for as
hashes, catch real credentials that match no pattern."""

import pytest
from click.testing import CliRunner

from caldron.main import cli
from caldron.vault.store import KvStore

WEBHOOK = "whsec_FAKEplainwordsnopattern"
SMTP_PASSWORD = "correct horse FAKE staple"
PUBLISHABLE = "pk_test_FAKEpublishable01"
APPLE_KEY = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQgFAKEfakeFAKEfake\n"
    "oAoGCCqGSM49AwEHoUQDQgAEFAKEfakeFAKEfakeFAKEfakeFAKEfakeFAKEfake\n"
    "-----END PRIVATE KEY-----\n"
)


@pytest.fixture
def dev_values(vault_env, kv_mount):
    store = KvStore(vault_env.client(), kv_mount)
    store.write(
        "dev",
        "stripe",
        {"STRIPE_WEBHOOK_SECRET": WEBHOOK, "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE},
        cas=0,
    )
    store.write("dev", "ses-smtp", {"SMTP_PASSWORD": SMTP_PASSWORD}, cas=0)
    store.write("dev", "apple-sign-in", {"APPLE_SIGNIN_PRIVATE_KEY": APPLE_KEY}, cas=0)
    store.write(
        "staging", "stripe", {"STRIPE_WEBHOOK_SECRET": "whsec_FAKEstaging0"}, cas=0
    )
    return store


def scan(*arguments: str):
    return CliRunner().invoke(cli, ["scan", "--env", "dev", *arguments])


def test_known_values_are_found_in_tracked_files_and_named_by_key(
    dev_values, repository
):
    repository.write("docs/setup.md", f"Use {WEBHOOK} for the hook.\n")
    repository.write("mail.cfg", f"[smtp]\npassword: {SMTP_PASSWORD}\n")
    repository.write("web/config.js", f"const key = '{PUBLISHABLE}';\n")
    repository.commit("docs")

    result = scan()

    assert result.exit_code == 10
    assert result.stdout.splitlines() == [
        "docs/setup.md:1: known dev value (stripe: STRIPE_WEBHOOK_SECRET)",
        "mail.cfg:2: Secret Keyword",
        "mail.cfg:2: known dev value (ses-smtp: SMTP_PASSWORD)",
    ]
    for value in (WEBHOOK, SMTP_PASSWORD):
        assert value not in result.output + result.stderr


def test_a_known_pem_key_split_across_lines_is_found_line_by_line(
    dev_values, repository
):
    body = APPLE_KEY.splitlines()[1:3]
    repository.write(
        "keys/apple.txt",
        f"first half:\n  {body[0]}\nsecond half:\n  {body[1]}\n",
    )

    result = scan("keys/apple.txt")

    assert result.exit_code == 10
    assert result.stdout.splitlines() == [
        "keys/apple.txt:2: known dev value (apple-sign-in: APPLE_SIGNIN_PRIVATE_KEY)",
        "keys/apple.txt:4: known dev value (apple-sign-in: APPLE_SIGNIN_PRIVATE_KEY)",
    ]


def test_a_known_value_in_a_misleadingly_named_file_is_found(dev_values, repository):
    repository.write(".env.example", f"SMTP_PASSWORD={SMTP_PASSWORD}\n")
    repository.write("favicon.ico.txt", f"{WEBHOOK}\n")

    result = scan(".env.example", "favicon.ico.txt")

    assert result.exit_code == 10
    assert result.stdout.splitlines() == [
        ".env.example:1: known dev value (ses-smtp: SMTP_PASSWORD)",
        "favicon.ico.txt:1: known dev value (stripe: STRIPE_WEBHOOK_SECRET)",
    ]


def test_known_values_in_the_staged_changes_and_the_history(dev_values, repository):
    repository.write("app.py", "print('x')\n")
    repository.write("old.txt", f"{SMTP_PASSWORD}\n")
    leaking = repository.commit("leak")
    repository.write("old.txt", "gone\n")
    repository.commit("cleanup")
    repository.write("app.py", f"print('x')\nhook = '{WEBHOOK}'\n")
    repository.git("add", "app.py")

    staged = scan("--staged")
    history = scan("--history")

    assert (
        staged.stdout == "app.py:2: known dev value (stripe: STRIPE_WEBHOOK_SECRET)\n"
    )
    assert history.stdout == (
        f"{leaking[:12]} old.txt:1: known dev value (ses-smtp: SMTP_PASSWORD)\n"
    )
    assert (staged.exit_code, history.exit_code) == (10, 10)


def test_other_environments_values_are_not_looked_for(dev_values, repository):
    repository.write("notes.txt", "whsec_FAKEstaging0\n")

    result = scan("notes.txt")

    assert (result.exit_code, result.stdout) == (0, "")


def test_without_vault_access_the_scan_fails_clearly(
    vault_env, repository, monkeypatch
):
    monkeypatch.setenv("VAULT_TOKEN", "s.fake-expired-token")
    repository.write("a.txt", "x\n")

    result = scan("a.txt")

    assert result.exit_code == 5
    assert "invalid or has expired" in result.stderr
