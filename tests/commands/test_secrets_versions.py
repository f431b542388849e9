"""``caldron secrets status``, ``history`` and ``rollback``."""

import json

STRIPE_V2 = "sk_test_FAKE2222222222222222222222"


def push(invoke, tmp_path, values, name="v.json"):
    path = tmp_path / name
    path.write_text(json.dumps(values))
    result = invoke("secrets", "push", "--env", "dev", str(path))
    assert result.exit_code == 0, result.output


def test_status_of_a_complete_environment(invoke, pushed_dev):
    result = invoke("secrets", "status", "--env", "dev", "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_slug = {entry["integration"]: entry for entry in report["integrations"]}
    assert by_slug["stripe"]["version"] == 1
    assert by_slug["stripe"]["missing"] == []
    assert by_slug["stripe"]["updated"]
    for value in pushed_dev.values():
        if len(value) > 6:
            assert value not in result.output


def test_status_lists_missing_and_invalid_keys_and_fails(
    invoke, tmp_path, openbao, kv_mount
):
    client = openbao.client()
    client.secrets.kv.v2.create_or_update_secret(
        "dev/stripe", secret={"STRIPE_SECRET_KEY": STRIPE_V2}, mount_point=kv_mount
    )
    client.secrets.kv.v2.create_or_update_secret(
        "dev/paypal", secret={"PAYPAL_MODE": "not-a-mode"}, mount_point=kv_mount
    )

    result = invoke("secrets", "status", "--env", "dev")

    assert result.exit_code == 10
    assert "dev/stripe: NEEDS ATTENTION (v1" in result.stdout
    assert "missing: STRIPE_PUBLISHABLE_KEY" in result.stdout
    assert "invalid: PAYPAL_MODE (the value must be one of" in result.stdout
    assert "not-a-mode" not in result.output
    assert "dev/mollie: NEEDS ATTENTION (absent)" in result.stdout


def test_history_and_rollback_write_the_old_version_as_a_new_one(
    invoke, pushed_dev, tmp_path, openbao, kv_mount
):
    push(invoke, tmp_path, {"STRIPE_SECRET_KEY": STRIPE_V2})

    history = invoke("secrets", "history", "--env", "dev", "stripe")
    assert history.exit_code == 0, history.output
    assert "  v1 " in history.stdout and "  v2 " in history.stdout

    rollback = invoke("secrets", "rollback", "--env", "dev", "stripe")

    assert rollback.exit_code == 0, rollback.output
    assert "restoring dev/stripe version 1" in rollback.stdout
    assert "  ~ STRIPE_SECRET_KEY" in rollback.stdout
    assert "wrote dev/stripe version 3" in rollback.stdout
    current = openbao.client().secrets.kv.v2.read_secret_version(
        "dev/stripe", mount_point=kv_mount, raise_on_deleted_version=True
    )["data"]
    assert current["metadata"]["version"] == 3
    assert current["data"]["STRIPE_SECRET_KEY"] == pushed_dev["STRIPE_SECRET_KEY"]
    assert STRIPE_V2 not in rollback.output


def test_rollback_to_an_explicit_version_after_a_delete(
    invoke, pushed_dev, tmp_path, openbao, kv_mount
):
    push(invoke, tmp_path, {"STRIPE_SECRET_KEY": STRIPE_V2})
    openbao.client().secrets.kv.v2.delete_latest_version_of_secret(
        "dev/stripe", mount_point=kv_mount
    )

    result = invoke("secrets", "rollback", "--env", "dev", "stripe", "--version", "1")

    assert result.exit_code == 0, result.output
    assert "wrote dev/stripe version 3" in result.stdout


def test_history_as_json(invoke, pushed_dev):
    result = invoke("secrets", "history", "--env", "dev", "stripe", "--json")

    assert result.exit_code == 0, result.output
    versions = json.loads(result.stdout)["stripe"]
    assert [entry["version"] for entry in versions] == [1]


def test_rollback_refusals(invoke, pushed_dev):
    unknown = invoke("secrets", "rollback", "--env", "dev", "nope")
    current = invoke("secrets", "rollback", "--env", "dev", "stripe", "--version", "1")
    first = invoke("secrets", "rollback", "--env", "dev", "stripe")
    missing = invoke("secrets", "rollback", "--env", "dev", "stripe", "--version", "9")

    assert (unknown.exit_code, current.exit_code, first.exit_code) == (3, 3, 8)
    assert "unknown integration nope" in unknown.stderr
    assert "already current" in current.stderr
    assert "no earlier readable version" in first.stderr
    assert missing.exit_code == 8


def test_rollback_to_a_version_that_breaks_the_rules_is_refused(
    invoke, pushed_dev, openbao, kv_mount
):
    stripe = {k: v for k, v in pushed_dev.items() if k.startswith("STRIPE_")}
    live = "sk_live_FAKE9999999999999999999999"
    client = openbao.client()
    client.secrets.kv.v2.create_or_update_secret(
        "dev/stripe", secret={**stripe, "STRIPE_SECRET_KEY": live}, mount_point=kv_mount
    )
    client.secrets.kv.v2.create_or_update_secret(
        "dev/stripe", secret=stripe, mount_point=kv_mount
    )

    status = invoke("secrets", "status", "--env", "dev")
    result = invoke("secrets", "rollback", "--env", "dev", "stripe")

    assert status.exit_code == 0, status.output
    assert result.exit_code == 3
    assert "a live value is refused in dev" in result.stderr
    assert live not in result.output
    current = client.secrets.kv.v2.read_secret_version(
        "dev/stripe", mount_point=kv_mount, raise_on_deleted_version=True
    )["data"]["metadata"]["version"]
    assert current == 3


def test_a_value_shaped_key_name_in_vault_is_withheld_everywhere(
    invoke, pushed_dev, tmp_path, openbao, kv_mount
):
    pasted = "ghp_PASTEDfakeTOKEN0000"
    stripe = {k: v for k, v in pushed_dev.items() if k.startswith("STRIPE_")}
    openbao.client().secrets.kv.v2.create_or_update_secret(
        "dev/stripe", secret={**stripe, pasted: "x"}, mount_point=kv_mount
    )
    source = tmp_path / "stripe.json"
    source.write_text(json.dumps(stripe))

    text = invoke("secrets", "status", "--env", "dev")
    as_json = invoke("secrets", "status", "--env", "dev", "--json")
    replace = invoke("secrets", "push", "--env", "dev", "--replace", str(source))
    rollback = invoke("secrets", "rollback", "--env", "dev", "stripe")

    assert replace.exit_code == 0, replace.output
    assert rollback.exit_code == 3
    assert "unknown key (a name withheld" in rollback.stderr
    for result in (text, as_json, replace, rollback):
        assert pasted not in result.output
    assert "(a name withheld" in replace.stdout
