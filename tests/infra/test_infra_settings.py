"""Stack settings: a broken stack file fails with one line naming the key and
the file; settings that matter change the program as promised."""

import pytest

from caldron.errors import InvalidInputError
from caldron.infra_check.harness import run_program
from caldron.infra_check.stack_config import read_stack_config


def drop(section, field=None):
    def edit(config):
        if field is None:
            del config[section]
        else:
            del config[section][field]

    return edit


def put(section, field, value):
    def edit(config):
        if field is None:
            config[section] = value
        else:
            config[section][field] = value

    return edit


@pytest.mark.parametrize(
    ("stack", "edit", "expected"),
    [
        ("dev", drop("caldron:domain"), "caldron:domain is missing"),
        ("dev", drop("caldron:alerts"), "caldron:alerts is missing"),
        (
            "dev",
            drop("caldron:backup", "dailyRetentionDays"),
            "caldron:backup.dailyRetentionDays is missing",
        ),
        (
            "dev",
            put("caldron:backup", "dailyRetentionDays", "seven"),
            "caldron:backup.dailyRetentionDays must be a whole number",
        ),
        (
            "dev",
            put("caldron:backup", "dailyRetentionDays", 0),
            "caldron:backup.dailyRetentionDays must be at least 1",
        ),
        (
            "staging",
            put("caldron:storage", "accessLogging", "yes"),
            "caldron:storage.accessLogging must be true or false",
        ),
        (
            "dev",
            put("caldron:alerts", "emails", "ops@caldronflex.example"),
            "caldron:alerts.emails must be a list of strings",
        ),
        (
            "dev",
            put("caldron:alerts", "emails", ["not-an-address"]),
            "caldron:alerts.emails holds 'not-an-address', not an email address",
        ),
        (
            "dev",
            put("caldron:alerts", "sesBounceRate", 5),
            "caldron:alerts.sesBounceRate must be at most 1",
        ),
        (
            "dev",
            put("caldron:cdn", "priceClass", "PriceClass_999"),
            "caldron:cdn.priceClass must be one of: PriceClass_100, PriceClass_200, "
            "PriceClass_All",
        ),
        (
            "dev",
            put("caldron:storage", None, "private"),
            "caldron:storage must be a mapping",
        ),
        (
            "dev",
            put("caldron:region", None, "Ireland"),
            "caldron:region has the wrong form; write an AWS region code such as "
            "eu-west-1",
        ),
        (
            "prod",
            put("caldron:backup", "copyRegion", "Frankfurt"),
            "caldron:backup.copyRegion has the wrong form; write an AWS region code "
            "such as eu-west-1",
        ),
        (
            "dev",
            put("caldron:domain", None, "Dev.Example"),
            "caldron:domain has the wrong form; write a lower-case domain name such "
            "as example.com",
        ),
        (
            "dev",
            put("caldron:storage", "corsOrigins", ["http://app.example"]),
            "caldron:storage.corsOrigins holds 'http://app.example'; "
            "use https:// origins",
        ),
        (
            "prod",
            put("caldron:backup", "copyRegoin", "eu-central-1"),
            "caldron:backup.copyRegoin is not a known setting; did you mean "
            "copyRegion?",
        ),
        (
            "prod",
            put("caldron:backup", "copyRegion", "eu-west-1"),
            "caldron:backup.copyRegion must differ from caldron:region",
        ),
        (
            "prod",
            put("caldron:backup", "monthlyRetentionDays", 120),
            "caldron:backup.monthlyRetentionDays must be at least "
            "coldStorageAfterDays + 90",
        ),
        (
            "prod",
            put("caldron:backup", "vaultLock", "forever"),
            "caldron:backup.vaultLock must be one of: none, governance, compliance",
        ),
        (
            "dev",
            put("caldron:cdn", "customDomain", "assets.dev.caldronflex.example"),
            "caldron:cdn.customDomain needs caldron:route53ZoneId",
        ),
    ],
)
def test_broken_setting_fails_naming_key_and_stack_file(
    scratch_project, stack, edit, expected
):
    project = scratch_project(stack, edit=edit)

    with pytest.raises(InvalidInputError) as raised:
        run_program(project, read_stack_config(project, stack))

    message = str(raised.value)
    assert message.startswith(f"stacks/Pulumi.{stack}.yaml: {expected}")
    assert "\n" not in message
    assert raised.value.exit_code == 3


def test_unknown_environment_names_the_stack_and_the_known_ones(scratch_project):
    project = scratch_project("qa")

    with pytest.raises(InvalidInputError) as raised:
        run_program(project, read_stack_config(project, "qa"))

    assert str(raised.value).startswith(
        "stack 'qa' is not an environment caldron deploys; "
        "name the stack one of: dev, staging, prod"
    )


def test_pulumi_missing_config_error_names_key_and_file(scratch_project, tmp_path):
    program = tmp_path / "program"
    program.mkdir()
    (program / "__main__.py").write_text(
        "import pulumi\npulumi.Config().require('alarmEmail')\n", encoding="utf-8"
    )
    project = scratch_project("prod", program_dir=program)

    with pytest.raises(InvalidInputError) as raised:
        run_program(project, read_stack_config(project, "prod"))

    assert str(raised.value).startswith(
        "stacks/Pulumi.prod.yaml: caldron:alarmEmail is missing"
    )


def test_compliance_lock_only_when_the_stack_asks_for_it(scratch_project):
    project = scratch_project(
        "prod", edit=put("caldron:backup", "vaultLock", "compliance")
    )

    run = run_program(project, read_stack_config(project, "prod"))

    locks = run.of_type("aws:backup/vaultLockConfiguration:VaultLockConfiguration")
    assert sorted(lock.props["changeableForDays"] for lock in locks) == [3, 3]


def test_a_locked_vault_without_monthly_rule_keeps_daily_retention(
    scratch_project,
):
    project = scratch_project(
        "staging", edit=put("caldron:backup", "vaultLock", "governance")
    )

    run = run_program(project, read_stack_config(project, "staging"))

    [plan] = run.of_type("aws:backup/plan:Plan")
    assert [r["ruleName"] for r in plan.props["rules"]] == ["daily"]
    [lock] = run.of_type("aws:backup/vaultLockConfiguration:VaultLockConfiguration")
    assert (lock.props["minRetentionDays"], lock.props["maxRetentionDays"]) == (14, 14)


@pytest.mark.parametrize(
    ("stack", "key", "value", "expected"),
    [
        ("prod", "caldron:regoin", "eu-west-1", "caldron:regoin"),
        ("dev", "caldron:storage2", {"kmsKey": True}, "caldron:storage2"),
        ("staging", "caldron:route53ZoneID", "Z0FAKE", "caldron:route53ZoneID"),
    ],
)
def test_unknown_top_level_key_fails_naming_key_and_stack_file(
    scratch_project, stack, key, value, expected
):
    project = scratch_project(stack, edit=put(key, None, value))

    with pytest.raises(InvalidInputError) as raised:
        run_program(project, read_stack_config(project, stack))

    assert str(raised.value).startswith(
        f"stacks/Pulumi.{stack}.yaml: {expected} is not a known setting; did you mean "
    )
    assert raised.value.exit_code == 3


def test_unknown_key_suggests_the_one_it_resembles(scratch_project):
    project = scratch_project("staging", edit=put("caldron:route53ZoneID", None, "Z"))

    with pytest.raises(InvalidInputError) as raised:
        run_program(project, read_stack_config(project, "staging"))

    assert str(raised.value) == (
        "stacks/Pulumi.staging.yaml: caldron:route53ZoneID is not a known setting; "
        "did you mean route53ZoneId? (fix the stack file and rerun)"
    )


def test_unknown_key_passed_the_language_host_way_fails_too(
    scratch_project, monkeypatch
):
    # `pulumi up` hands the program its config in PULUMI_CONFIG, not the SDK.
    monkeypatch.setenv("PULUMI_CONFIG", '{"caldron:alertz": "[]"}')
    project = scratch_project("dev")

    with pytest.raises(InvalidInputError) as raised:
        run_program(project, read_stack_config(project, "dev"))

    assert str(raised.value).startswith(
        "stacks/Pulumi.dev.yaml: caldron:alertz is not a known setting; "
        "did you mean alerts?"
    )


def test_keys_of_other_namespaces_are_left_to_their_owners(scratch_project):
    project = scratch_project("dev", edit=put("aws:skipMetadataApiCheck", None, True))

    run = run_program(project, read_stack_config(project, "dev"))

    assert run.outputs["environment"] == "dev"


@pytest.mark.parametrize(
    ("stack", "edit", "expected"),
    [
        (
            "prod",
            put("caldron:storage", "kmsKey", False),
            "caldron:storage.kmsKey must be true in prod: prod buckets are "
            "encrypted with their own KMS key",
        ),
        (
            "prod",
            put("caldron:storage", "accessLogging", False),
            "caldron:storage.accessLogging must be true in prod: staging and prod "
            "keep S3 access logs",
        ),
        (
            "staging",
            put("caldron:storage", "accessLogging", False),
            "caldron:storage.accessLogging must be true in staging: staging and "
            "prod keep S3 access logs",
        ),
        (
            "prod",
            put("caldron:backup", "vaultLock", "none"),
            "caldron:backup.vaultLock must be governance or compliance in prod: "
            "prod locks its backup vaults",
        ),
        (
            "prod",
            drop("caldron:backup", "coldStorageAfterDays"),
            "caldron:backup.coldStorageAfterDays is required in prod: prod moves "
            "its monthly backups to cold storage",
        ),
    ],
)
def test_switching_off_a_protection_fails_where_the_environment_needs_it(
    scratch_project, stack, edit, expected
):
    project = scratch_project(stack, edit=edit)

    with pytest.raises(InvalidInputError) as raised:
        run_program(project, read_stack_config(project, stack))

    assert str(raised.value) == (
        f"stacks/Pulumi.{stack}.yaml: {expected} (fix the stack file and rerun)"
    )
    assert raised.value.exit_code == 3
