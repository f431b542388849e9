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
            "caldron:region has the wrong form",
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
            "caldron:backup.copyRegoin is not a known setting",
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
        f"{tmp_path}/stacks/Pulumi.prod.yaml: caldron:alarmEmail is missing"
    )


def test_compliance_lock_only_when_the_stack_asks_for_it(scratch_project):
    project = scratch_project(
        "prod", edit=put("caldron:backup", "vaultLock", "compliance")
    )

    run = run_program(project, read_stack_config(project, "prod"))

    locks = run.of_type("aws:backup/vaultLockConfiguration:VaultLockConfiguration")
    assert sorted(lock.props["changeableForDays"] for lock in locks) == [3, 3]


def test_without_monthly_rule_prod_keeps_daily_backups_and_copies(scratch_project):
    def edit(config):
        for field in ("monthlyRetentionDays", "coldStorageAfterDays"):
            del config["caldron:backup"][field]

    project = scratch_project("prod", edit=edit)

    run = run_program(project, read_stack_config(project, "prod"))

    [plan] = run.of_type("aws:backup/plan:Plan")
    assert [r["ruleName"] for r in plan.props["rules"]] == ["daily"]
    [lock, _] = run.of_type("aws:backup/vaultLockConfiguration:VaultLockConfiguration")
    assert (lock.props["minRetentionDays"], lock.props["maxRetentionDays"]) == (35, 35)
