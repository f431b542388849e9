"""``caldron secrets push``: validation, key-name diff, check-and-set writes."""

import json

import hvac
import pytest

CANARY = "pw-CANARY-7731"
STRIPE_KEY = "sk_test_FAKE1111111111111111111111"


def write_json(tmp_path, values, name="values.json"):
    path = tmp_path / name
    path.write_text(json.dumps(values))
    return str(path)


def test_push_writes_each_integration_once_and_reports_keys_only(
    invoke, openbao, kv_mount, tmp_path, example_values
):
    source = write_json(tmp_path, example_values)

    result = invoke("secrets", "push", "--env", "dev", source)

    assert result.exit_code == 0, result.output
    assert "dev/stripe: new secret" in result.stdout
    assert "  + STRIPE_SECRET_KEY" in result.stdout
    assert "wrote dev/stripe version 1" in result.stdout
    stored = openbao.client().secrets.kv.v2.read_secret_version(
        "dev/stripe", mount_point=kv_mount, raise_on_deleted_version=True
    )["data"]["data"]
    assert stored["STRIPE_SECRET_KEY"] == example_values["STRIPE_SECRET_KEY"]
    for value in example_values.values():
        if len(value) > 6:
            assert value not in result.output


def test_second_push_of_same_values_sends_nothing(
    invoke, pushed_dev, tmp_path, openbao, kv_mount
):
    source = write_json(tmp_path, pushed_dev)

    result = invoke("secrets", "push", "--env", "dev", source)

    assert result.exit_code == 0, result.output
    assert "Nothing to change." in result.stdout
    assert "wrote" not in result.stdout
    metadata = openbao.client().secrets.kv.v2.read_secret_metadata(
        "dev/stripe", mount_point=kv_mount
    )
    assert metadata["data"]["current_version"] == 1


def test_push_merges_and_shows_changed_unchanged(invoke, pushed_dev, tmp_path):
    source = write_json(tmp_path, {"STRIPE_SECRET_KEY": STRIPE_KEY})

    result = invoke("secrets", "push", "--env", "dev", source)

    assert result.exit_code == 0, result.output
    assert "dev/stripe: version 1 -> 2" in result.stdout
    assert "  ~ STRIPE_SECRET_KEY" in result.stdout
    assert "  = STRIPE_PUBLISHABLE_KEY" in result.stdout
    assert STRIPE_KEY not in result.output


def test_replace_removes_keys_the_source_lacks(
    invoke, pushed_dev, tmp_path, openbao, kv_mount
):
    values = {"GA_MEASUREMENT_ID": pushed_dev["GA_MEASUREMENT_ID"]}
    source = write_json(tmp_path, values)

    result = invoke("secrets", "push", "--env", "dev", "--replace", source)

    assert result.exit_code == 0, result.output
    assert "  - GA_API_SECRET" in result.stdout
    stored = openbao.client().secrets.kv.v2.read_secret_version(
        "dev/google-analytics", mount_point=kv_mount, raise_on_deleted_version=True
    )["data"]["data"]
    assert stored == values


def test_push_that_leaves_a_required_key_missing_writes_nothing(
    invoke, tmp_path, openbao, kv_mount
):
    source = write_json(tmp_path, {"STRIPE_SECRET_KEY": STRIPE_KEY})

    result = invoke("secrets", "push", "--env", "dev", source)

    assert result.exit_code == 3
    assert "required keys are missing for: dev/stripe (" in result.stderr
    assert "STRIPE_PUBLISHABLE_KEY" in result.stderr
    assert STRIPE_KEY not in result.output
    with pytest.raises(hvac.exceptions.InvalidPath):
        openbao.client().secrets.kv.v2.list_secrets("dev", mount_point=kv_mount)


def test_dry_run_writes_nothing(invoke, tmp_path, example_values, openbao, kv_mount):
    source = write_json(tmp_path, example_values)

    result = invoke("secrets", "push", "--env", "dev", "--dry-run", source)

    assert result.exit_code == 0, result.output
    assert "Dry run:" in result.stdout
    listed = openbao.client().secrets.kv.v2.list_secrets
    with pytest.raises(hvac.exceptions.InvalidPath):
        listed("dev", mount_point=kv_mount)


def test_push_reads_standard_input(invoke, openbao, kv_mount, example_values):
    stripe = {k: v for k, v in example_values.items() if k.startswith("STRIPE_")}
    text = "".join(f"{key}={value}\n" for key, value in stripe.items())

    result = invoke(
        "secrets", "push", "--env", "dev", "--format", "dotenv", "-", input=text
    )

    assert result.exit_code == 0, result.output
    assert "wrote dev/stripe version 1" in result.stdout


@pytest.mark.parametrize(
    ("environment", "values", "exit_code", "message"),
    [
        ("dev", {"NOT_IN_CATALOGUE": "x"}, 3, "unknown key NOT_IN_CATALOGUE"),
        (
            "dev",
            {"STRIPE_SECRET_KEY": "sk_live_FAKE1111111111111111111111"},
            3,
            "STRIPE_SECRET_KEY: a live value is refused in dev",
        ),
        (
            "prod",
            {"STRIPE_SECRET_KEY": STRIPE_KEY},
            3,
            "STRIPE_SECRET_KEY: a test or sandbox value is refused in prod",
        ),
        ("dev", {"SMTP_PORT": "not-a-port"}, 3, "SMTP_PORT"),
        ("dev", {"STRIPE_SECRET_KEY": "sk_test_\x00FAKE"}, 3, "STRIPE_SECRET_KEY"),
        ("dev", {"SENTRY_DSN": "x" * (32 * 1024 + 1)}, 3, "SENTRY_DSN"),
        ("qa", {"STRIPE_SECRET_KEY": STRIPE_KEY}, 2, "unknown environment 'qa'"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    invoke, tmp_path, openbao, kv_mount, environment, values, exit_code, message
):
    source = write_json(tmp_path, values)

    result = invoke("secrets", "push", "--env", environment, source)

    assert result.exit_code == exit_code
    assert message in result.stderr
    for value in values.values():
        assert value not in result.output
    with pytest.raises(hvac.exceptions.InvalidPath):
        openbao.client().secrets.kv.v2.list_secrets(environment, mount_point=kv_mount)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("broken.json", '{"STRIPE_SECRET_KEY": '),
        ("broken.yaml", "STRIPE_SECRET_KEY: 'unterminated\n"),
        ("broken.env", f"STRIPE_SECRET_KEY='{CANARY}\n"),
    ],
)
def test_malformed_source_names_the_file(invoke, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)

    result = invoke("secrets", "push", "--env", "dev", str(path))

    assert result.exit_code == 3
    assert str(path) in result.stderr
    assert CANARY not in result.output


def test_lost_check_and_set_is_a_conflict(
    invoke, pushed_dev, tmp_path, openbao, kv_mount, monkeypatch
):
    from caldron.vault import store as store_module

    original_read_many = store_module.KvStore.read_many

    def read_then_race(self, environment, integrations):
        stored = original_read_many(self, environment, integrations)
        openbao.client().secrets.kv.v2.create_or_update_secret(
            "dev/stripe", secret={"STRIPE_SECRET_KEY": STRIPE_KEY}, mount_point=kv_mount
        )
        return stored

    monkeypatch.setattr(store_module.KvStore, "read_many", read_then_race)
    source = write_json(
        tmp_path, {"STRIPE_WEBHOOK_SECRET": "whsec_FAKE2222222222222222222222"}
    )

    result = invoke("secrets", "push", "--env", "dev", source)

    assert result.exit_code == 6
    assert "concurrent" in result.stderr
    assert "whsec_FAKE2222" not in result.output
    stored = openbao.client().secrets.kv.v2.read_secret_version(
        "dev/stripe", mount_point=kv_mount, raise_on_deleted_version=True
    )["data"]
    assert stored["metadata"]["version"] == 2
    assert stored["data"] == {"STRIPE_SECRET_KEY": STRIPE_KEY}


def test_push_to_a_missing_mount_names_it(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("CALDRON_VAULT_MOUNT", "no-such-mount")
    source = write_json(tmp_path, {"STRIPE_SECRET_KEY": STRIPE_KEY})

    result = invoke("secrets", "push", "--env", "dev", source)

    assert result.exit_code in (3, 8)
    assert "no-such-mount" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "exit_code", "message"),
    [
        (["-"], 3, "standard input holds no values to push"),
        ([], 2, "no FILE given, nothing on standard input, and no terminal"),
    ],
)
def test_push_of_nothing_is_refused(invoke, arguments, exit_code, message):
    result = invoke("secrets", "push", "--env", "dev", *arguments, input="")

    assert result.exit_code == exit_code
    assert message in result.stderr


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("s.json", '{"SMTP_PORT": "\\ud800"}'),
        ("s.yaml", 'SMTP_PORT: "\\ud800"\n'),
    ],
)
def test_a_lone_surrogate_is_invalid_input_naming_the_key(invoke, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)

    result = invoke("--debug", "secrets", "push", "--env", "dev", str(path))

    assert result.exit_code == 3
    assert "SMTP_PORT is not valid Unicode text" in result.stderr
    assert "Traceback" not in result.output


def test_replace_at_a_terminal_asks_for_what_it_would_drop(
    invoke, pushed_dev, tmp_path, monkeypatch, example_values
):
    from caldron.commands import secrets

    monkeypatch.setattr(secrets, "stdin_is_terminal", lambda: True)
    source = write_json(tmp_path, {"STRIPE_SECRET_KEY": STRIPE_KEY})
    answers = "\n".join(
        [
            example_values["STRIPE_PUBLISHABLE_KEY"],
            example_values["STRIPE_WEBHOOK_SECRET"],
        ]
    )

    result = invoke(
        "secrets", "push", "--env", "dev", "--replace", source, input=answers + "\n"
    )

    assert result.exit_code == 0, result.output
    assert "STRIPE_WEBHOOK_SECRET: " in result.stderr
    assert "  ~ STRIPE_SECRET_KEY" in result.stdout


def test_a_terminal_is_asked_for_missing_keys_secret_ones_hidden(
    invoke, tmp_path, example_values, openbao, kv_mount, monkeypatch
):
    from caldron.commands import secrets

    monkeypatch.setattr(secrets, "stdin_is_terminal", lambda: True)
    source = write_json(tmp_path, {"STRIPE_SECRET_KEY": STRIPE_KEY})
    answers = [
        example_values["STRIPE_PUBLISHABLE_KEY"],
        example_values["STRIPE_WEBHOOK_SECRET"],
    ]

    result = invoke(
        "secrets", "push", "--env", "dev", source, input="\n".join(answers) + "\n"
    )

    assert result.exit_code == 0, result.output
    assert "STRIPE_PUBLISHABLE_KEY: " in result.stderr
    assert "STRIPE_WEBHOOK_SECRET: " in result.stderr
    assert example_values["STRIPE_WEBHOOK_SECRET"] not in result.output
    stored = openbao.client().secrets.kv.v2.read_secret_version(
        "dev/stripe", mount_point=kv_mount, raise_on_deleted_version=True
    )["data"]["data"]
    assert stored["STRIPE_WEBHOOK_SECRET"] == example_values["STRIPE_WEBHOOK_SECRET"]
