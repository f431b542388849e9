"""parse_env and find_shadowed_keys: how caldron verifies a rendered file."""

import pytest

from caldron.render import find_shadowed_keys, parse_env, render_env

from .values import PEM_KEY

STALE_FIRST_LINE = '"-----BEGIN PRIVATE KEY-----'


@pytest.mark.parametrize("consumer", ["python-dotenv", "portable", "json"])
def test_reads_the_file_not_a_stale_environment(consumer, monkeypatch):
    monkeypatch.setenv("SIGNING_KEY", STALE_FIRST_LINE)
    monkeypatch.setenv("USER", "alice")
    entries = [("SIGNING_KEY", PEM_KEY), ("API_SALT", "$$literal$"), ("EMPTY", "")]
    if consumer != "portable":
        entries.append(("PG_PASSWORD", "zX$9${USER}wq!"))

    values = parse_env(render_env(entries, consumer), consumer)

    assert values == dict(entries)
    assert values["SIGNING_KEY"].count("\n") == 4


@pytest.mark.parametrize(
    ("environment", "shadowed"),
    [
        ({"SIGNING_KEY": STALE_FIRST_LINE}, ["SIGNING_KEY"]),
        ({"SIGNING_KEY": PEM_KEY}, []),
        ({"OTHER": "fake"}, []),
        (
            {"SIGNING_KEY": STALE_FIRST_LINE, "API_SALT": ""},
            ["SIGNING_KEY", "API_SALT"],
        ),
    ],
)
def test_names_keys_a_stale_environment_would_shadow(environment, shadowed):
    values = {"SIGNING_KEY": PEM_KEY, "API_SALT": "$$literal$"}
    assert find_shadowed_keys(values, environment) == shadowed


@pytest.mark.parametrize(
    "consumer",
    ["node-dotenv", "phpdotenv", "symfony", "shell", "docker", "github-actions"],
)
def test_has_no_reader_of_its_own_for_other_dialects(consumer):
    assert parse_env("A=fake\n", consumer) is None
