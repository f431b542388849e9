"""Reading stack files into the config Pulumi hands a program."""

import pytest
import yaml

from caldron.errors import InvalidInputError
from caldron.infra_check.stack_config import (
    SECRET_STAND_IN,
    find_project,
    read_project,
    read_stack_config,
)


def write_stack(tmp_path, stack, text):
    (tmp_path / "Pulumi.yaml").write_text(
        "name: caldron\nruntime: python\nmain: infra/\nstackConfigDir: stacks\n",
        encoding="utf-8",
    )
    (tmp_path / "stacks").mkdir(exist_ok=True)
    (tmp_path / "stacks" / f"Pulumi.{stack}.yaml").write_text(text, encoding="utf-8")
    return read_project(tmp_path)


def test_project_file_gives_name_program_and_stacks_folder(tmp_path):
    project = write_stack(tmp_path, "dev", "config: {}\n")
    assert (project.name, project.program_dir, project.stacks_dir) == (
        "caldron",
        tmp_path / "infra",
        tmp_path / "stacks",
    )
    assert project.stack_file("prod") == tmp_path / "stacks" / "Pulumi.prod.yaml"


def test_project_is_found_from_a_subfolder(tmp_path):
    write_stack(tmp_path, "dev", "config: {}\n")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    assert find_project(tmp_path / "deep" / "er").root == tmp_path


@pytest.mark.parametrize(
    ("value", "runtime_text"),
    [
        ("eu-west-1", "eu-west-1"),
        (True, "true"),
        (False, "false"),
        (30, "30"),
        (0.05, "0.05"),
        (["a", "b"], '["a", "b"]'),
        ({"days": 7, "on": True}, '{"days": 7, "on": true}'),
    ],
)
def test_values_reach_the_program_as_pulumi_passes_them(tmp_path, value, runtime_text):
    project = write_stack(
        tmp_path, "dev", yaml.safe_dump({"config": {"caldron:setting": value}})
    )
    config = read_stack_config(project, "dev")
    assert config.runtime_config == {"caldron:setting": runtime_text}
    assert config.secret_keys == []


def test_secure_values_become_marked_stand_ins(tmp_path):
    project = write_stack(
        tmp_path,
        "prod",
        "config:\n"
        "  caldron:apiToken:\n    secure: v1:ZmFrZS1jaXBoZXJ0ZXh0\n"
        "  caldron:webhook:\n    url: https://hooks.example.test\n"
        "    signingSecret:\n      secure: v1:ZmFrZQ==\n"
        "  caldron:region: eu-west-1\n",
    )

    config = read_stack_config(project, "prod")

    assert config.secret_keys == ["caldron:apiToken", "caldron:webhook"]
    assert config.runtime_config["caldron:apiToken"] == SECRET_STAND_IN
    assert config.runtime_config["caldron:webhook"] == (
        '{"url": "https://hooks.example.test", "signingSecret": "fake-offline-secret"}'
    )
    assert "v1:" not in "".join(config.runtime_config.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("config: [1, 2]\n", ": 'config' must be a mapping of settings"),
        (
            "config:\n  region: eu-west-1\n",
            ": config key 'region' has no namespace",
        ),
        ("config: {a: [}\n", " is not valid YAML at line 1"),
        ("- just\n- a list\n", " must hold a YAML mapping"),
    ],
)
def test_malformed_stack_file_is_invalid_input_naming_the_file(
    tmp_path, text, expected
):
    project = write_stack(tmp_path, "dev", text)

    with pytest.raises(InvalidInputError) as raised:
        read_stack_config(project, "dev")

    assert str(raised.value).startswith(f"stacks/Pulumi.dev.yaml{expected}")
    assert str(tmp_path) not in str(raised.value)


def test_a_stack_without_a_file_is_invalid_input(tmp_path):
    project = write_stack(tmp_path, "dev", "config: {}\n")

    with pytest.raises(InvalidInputError) as raised:
        read_stack_config(project, "staging")

    assert str(raised.value) == (
        "no settings file for stack 'staging' at stacks/Pulumi.staging.yaml "
        "(create it with `pulumi stack init staging`)"
    )


def test_a_folder_without_a_project_file_is_invalid_input(tmp_path):
    with pytest.raises(InvalidInputError) as raised:
        read_project(tmp_path)

    assert str(raised.value) == (
        f"no Pulumi.yaml in {tmp_path} (run inside the caldron checkout)"
    )


def test_a_project_file_without_a_name_is_named_relative_to_the_project(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("runtime: python\n", encoding="utf-8")

    with pytest.raises(InvalidInputError) as raised:
        read_project(tmp_path)

    assert str(raised.value) == "Pulumi.yaml: 'name' is missing (name the project)"
