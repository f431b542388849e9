"""Rendered ``.env`` files that git would commit (CASES BC-20)."""

import pytest
from click.testing import CliRunner

from caldron.main import cli
from caldron.scan.env_files import looks_like_env_file

BC20_GITIGNORE = ".env.local\n.env*.local\n*/.env\n*/secrets\n"
BC20_FILES = (
    ".env.production",
    ".env.bak.2024-01-01",
    ".env",
    "infra/core/.env",
    "deploy/prod.env",
    ".env.example",
    ".env.local",
    "web/.env",
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (".env", True),
        (".env.production", True),
        (".env.bak.2024-01-01", True),
        ("deploy/prod.env", True),
        ("infra/core/.env", True),
        (".env.example", False),
        ("app.env.example", False),
        (".env.staging.sample", False),
        ("app.env.template", False),
        ("environment.py", False),
        ("docs/dotenv.md", False),
    ],
)
def test_env_file_names(name, expected):
    assert looks_like_env_file(name) is expected


def test_bc20_every_env_file_git_would_commit_is_listed(repository):
    repository.write(".gitignore", BC20_GITIGNORE)
    for name in BC20_FILES:
        repository.write(name, "PLACEHOLDER=1\n")

    result = CliRunner().invoke(cli, ["scan"])

    assert result.exit_code == 10
    assert result.stdout.splitlines() == [
        ".env: rendered .env file git would commit",
        ".env.bak.2024-01-01: rendered .env file git would commit",
        ".env.production: rendered .env file git would commit",
        "deploy/prod.env: rendered .env file git would commit",
        "infra/core/.env: rendered .env file git would commit",
    ]


def test_bc20_a_file_committed_before_its_ignore_rule_is_still_reported(repository):
    repository.write(".env.staging", "PLACEHOLDER=1\n")
    repository.commit("before the rule")
    repository.write(".gitignore", ".env*\n!.env.example\n")
    repository.write(".env.dev", "PLACEHOLDER=1\n")
    repository.write(".env.example", "PLACEHOLDER=\n")

    result = CliRunner().invoke(cli, ["scan"])

    assert result.exit_code == 10
    assert result.stdout == ".env.staging: rendered .env file tracked by git\n"


def test_an_explicit_ignored_env_file_passes_and_an_unignored_one_fails(repository):
    repository.write(".gitignore", ".env.local\n")
    repository.write(".env.local", "PLACEHOLDER=1\n")
    repository.write(".env.prod", "PLACEHOLDER=1\n")

    ignored = CliRunner().invoke(cli, ["scan", ".env.local"])
    exposed = CliRunner().invoke(cli, ["scan", ".env.prod"])

    assert (ignored.exit_code, ignored.stdout) == (0, "")
    assert exposed.exit_code == 10
    assert exposed.stdout == ".env.prod: rendered .env file git would commit\n"


def test_a_staged_env_file_is_reported(repository):
    repository.write("app.py", "print('x')\n")
    repository.commit("app")
    repository.write("config/.env.production", "PLACEHOLDER=1\n")
    repository.git("add", "-f", "config/.env.production")

    result = CliRunner().invoke(cli, ["scan", "--staged"])

    assert result.exit_code == 10
    assert (
        result.stdout == "config/.env.production: rendered .env file tracked by git\n"
    )


def test_an_env_file_in_an_old_commit_is_reported_by_history(repository):
    repository.write(".env", "PLACEHOLDER=1\n")
    leaking = repository.commit("oops")
    repository.git("rm", "-q", "--cached", ".env")
    repository.write(".gitignore", ".env\n")
    repository.commit("untrack")

    result = CliRunner().invoke(cli, ["scan", "--history"])

    assert result.exit_code == 10
    assert result.stdout == f"{leaking[:12]} .env: rendered .env file in a commit\n"
