"""``caldron scan`` over throwaway repositories with planted fake secrets."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from caldron.main import cli

FAKE_AWS_KEY = "AKIAFAKEFAKEFAKE1234"
FAKE_PASSWORD = "hunter2-FAKE-not-real-0001"
FAKE_PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEfakeFAKEfakeFAKEfakeFAKEfakeFAKEfakeFAKE\n"
    "QUJDfakeLINEtwoFAKEfakeFAKEfakeFAKEfakeFAKE\n"
    "-----END RSA PRIVATE KEY-----\n"
)


def scan(*arguments: str):
    return CliRunner().invoke(cli, ["scan", *arguments])


def assert_no_value_shown(result) -> None:
    for value in (FAKE_AWS_KEY, FAKE_PASSWORD, "MIIEfakeFAKE", "QUJDfakeLINE"):
        assert value not in result.output
        assert value not in result.stderr


def test_a_clean_repository_passes(repository):
    repository.write("app.py", "print('hello')\n")
    repository.commit("clean")

    result = scan()

    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no secrets found in 1 document(s)" in result.stderr


def test_a_secret_in_a_tracked_file_is_reported_by_file_line_and_kind(repository):
    repository.write("settings.py", f'DEBUG = True\nAWS_KEY = "{FAKE_AWS_KEY}"\n')
    repository.commit("settings")

    result = scan()

    assert result.exit_code == 10
    assert result.stdout == "settings.py:2: AWS Access Key\n"
    assert "Error: 1 secret(s) found" in result.stderr
    assert_no_value_shown(result)


def test_staged_scan_sees_only_what_the_index_adds(repository):
    repository.write("notes.txt", "first line\n")
    repository.commit("notes")
    repository.write("notes.txt", f'first line\npassword = "{FAKE_PASSWORD}"\n')
    repository.git("add", "notes.txt")
    repository.write("unstaged.py", f'AWS_KEY = "{FAKE_AWS_KEY}"\n')

    result = scan("--staged")

    assert result.exit_code == 10
    assert result.stdout == "notes.txt:2: Secret Keyword\n"
    assert_no_value_shown(result)


def test_staged_scan_of_a_clean_index_passes(repository):
    repository.write("notes.txt", "nothing here\n")
    repository.commit("notes")

    result = scan("--staged")

    assert (result.exit_code, result.stdout) == (0, "")


def test_history_scan_finds_a_secret_removed_since(repository):
    repository.write("deploy.sh", f"export AWS_ACCESS_KEY_ID={FAKE_AWS_KEY}\n")
    leaking = repository.commit("oops")
    repository.write("deploy.sh", "export AWS_ACCESS_KEY_ID=from-vault\n")
    repository.commit("fix")

    current = scan()
    history = scan("--history")

    assert current.exit_code == 0
    assert history.exit_code == 10
    assert history.stdout == f"{leaking[:12]} deploy.sh:1: AWS Access Key\n"
    assert_no_value_shown(history)


def test_a_private_key_split_across_lines_is_reported_once_at_its_yaml_key(
    repository,
):
    repository.write("config/tls.yaml", "tls:\n  key: |\n" + _indent(FAKE_PEM))
    repository.commit("tls")

    result = scan()

    assert result.exit_code == 10
    assert result.stdout == "config/tls.yaml:2: Private Key\n"
    assert_no_value_shown(result)


@pytest.mark.parametrize(
    "misleading_name",
    ["logo.png", "README.md", "test_fixture.lock", ".env.example"],
)
def test_a_misleading_file_name_does_not_hide_a_secret(repository, misleading_name):
    repository.write(misleading_name, f"aws = {FAKE_AWS_KEY}\n")

    result = scan(misleading_name)

    assert result.exit_code == 10
    assert result.stdout == f"{misleading_name}:1: AWS Access Key\n"


def test_a_binary_file_is_skipped_with_a_note(repository):
    repository.write("image.bin", b"\x89PNG\x00\x00" + FAKE_AWS_KEY.encode())

    result = scan("image.bin")

    assert result.exit_code == 0
    assert result.stdout == ""
    assert "note: skipped binary file image.bin" in result.stderr


def test_a_binary_file_in_the_staged_changes_is_skipped_with_a_note(repository):
    repository.write("blob.dat", b"\x00\x01\x02" + FAKE_AWS_KEY.encode())
    repository.git("add", "blob.dat")

    result = scan("--staged")

    assert result.exit_code == 0
    assert "note: skipped binary file blob.dat" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["missing.txt"], 3, "Error: path missing.txt does not exist"),
        (["--baseline", "none.json", "."], 3, "Error: baseline file none.json does"),
    ],
)
def test_bad_paths_are_refused(repository, arguments, code, message):
    result = scan(*arguments)

    assert result.exit_code == code
    assert message in result.stderr


def test_a_malformed_baseline_is_refused(repository):
    repository.write("baseline.json", '{"version": "1.5.0"}')

    result = scan("--baseline", "baseline.json", "baseline.json")

    assert result.exit_code == 3
    assert "is not a detect-secrets baseline" in result.stderr


@pytest.mark.parametrize("option", ["--staged", "--history"])
def test_git_options_outside_a_repository_are_usage_errors(
    tmp_path, monkeypatch, option
):
    monkeypatch.chdir(tmp_path)

    result = scan(option)

    assert result.exit_code == 2
    assert f"{option} needs a git repository" in result.stderr


def test_no_paths_outside_a_repository_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = scan()

    assert result.exit_code == 2
    assert "nothing to scan" in result.stderr


def test_a_folder_outside_git_is_walked(tmp_path, monkeypatch):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "app.ini").write_text(f"key={FAKE_AWS_KEY}\n")
    monkeypatch.chdir(tmp_path)

    result = scan("conf")

    assert result.exit_code == 10
    assert result.stdout == "conf/app.ini:1: AWS Access Key\n"


def test_baseline_accepts_known_findings_and_not_new_ones(repository):
    repository.write("legacy.py", f'AWS_KEY = "{FAKE_AWS_KEY}"\n')
    baseline = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", "legacy.py"],
        capture_output=True,
        text=True,
        check=True,
        cwd=repository.root,
    ).stdout
    repository.write(".secrets.baseline", baseline)
    assert json.loads(baseline)["results"]["legacy.py"][0]["type"] == "AWS Access Key"

    accepted = scan("--baseline", ".secrets.baseline", "legacy.py")
    repository.write("new.py", f'password = "{FAKE_PASSWORD}"\n')
    fresh = scan("--baseline", ".secrets.baseline", "legacy.py", "new.py")

    assert (accepted.exit_code, accepted.stdout) == (0, "")
    assert (fresh.exit_code, fresh.stdout) == (10, "new.py:1: Secret Keyword\n")


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in text.splitlines())


def test_staged_and_history_scans_work_before_the_first_commit(repository):
    repository.write("first.py", f'AWS_KEY = "{FAKE_AWS_KEY}"\n')
    repository.git("add", "first.py")

    staged = scan("--staged")
    history = scan("--history")

    assert (staged.exit_code, staged.stdout) == (10, "first.py:1: AWS Access Key\n")
    assert (history.exit_code, history.stdout) == (0, "")


def _write_baseline(repository) -> None:
    baseline = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", "legacy.py"],
        capture_output=True,
        text=True,
        check=True,
        cwd=repository.root,
    ).stdout
    assert '"hashed_secret"' in baseline
    repository.write(".secrets.baseline", baseline)


@pytest.mark.parametrize("mode", [[], ["."], ["--staged"], ["--history"]])
def test_the_baseline_file_itself_is_not_scanned(repository, mode):
    repository.write("legacy.py", f'AWS_KEY = "{FAKE_AWS_KEY}"\n')
    _write_baseline(repository)
    repository.git("add", "legacy.py", ".secrets.baseline")
    if mode == ["--history"]:
        repository.commit("accepted legacy key")

    result = scan(*mode, "--baseline", ".secrets.baseline")

    assert (result.exit_code, result.stdout) == (0, "")


def test_the_baseline_is_skipped_however_it_is_named(repository, monkeypatch):
    repository.write("legacy.py", f'AWS_KEY = "{FAKE_AWS_KEY}"\n')
    _write_baseline(repository)
    repository.write("sub/keep.txt", "nothing\n")
    monkeypatch.chdir(repository.root / "sub")

    result = scan("--baseline", "../.secrets.baseline", "..")

    assert (result.exit_code, result.stdout) == (0, "")
    assert "no secrets found in 2 document(s)" in result.stderr


def test_other_files_with_hashes_are_still_scanned(repository):
    repository.write("legacy.py", f'AWS_KEY = "{FAKE_AWS_KEY}"\n')
    _write_baseline(repository)
    repository.write(
        "copy.baseline", (repository.root / ".secrets.baseline").read_text()
    )

    result = scan("--baseline", ".secrets.baseline", "copy.baseline")

    assert result.exit_code == 10
    assert result.stdout.startswith("copy.baseline:")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--history", "app.py"], "--history scans every commit of every ref; it "),
        (["--history", "app.py"], "does not combine with paths"),
        (["--history", "--staged"], "does not combine with --staged"),
        (["--history", "--staged", "--env", "dev"], "does not combine with --staged"),
        (["--env", "qa"], "unknown environment 'qa'; use one of: local, dev"),
        (["--env", "qa", "--history"], "unknown environment 'qa'"),
    ],
)
def test_option_mistakes_are_usage_errors_before_vault_is_asked(
    repository, monkeypatch, arguments, message
):
    repository.write("app.py", "print('hello')\n")
    repository.commit("app")
    monkeypatch.setenv("VAULT_ADDR", "http://127.0.0.1:9")
    monkeypatch.setenv("VAULT_TOKEN", "s.fake-unused-token")

    result = scan(*arguments)

    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["missing.txt"], 3, "Error: path missing.txt does not exist"),
        (["--baseline", "none.json"], 3, "Error: baseline file none.json does not"),
        (["app.py"], 4, "Error: cannot reach Vault at http://127.0.0.1:9"),
    ],
)
def test_local_input_is_checked_before_vault_is_asked(
    repository, monkeypatch, arguments, code, message
):
    repository.write("app.py", "print('hello')\n")
    monkeypatch.setenv("VAULT_ADDR", "http://127.0.0.1:9")
    monkeypatch.setenv("VAULT_TOKEN", "s.fake-unused-token")

    result = scan("--env", "dev", *arguments)

    assert (result.exit_code, result.stdout) == (code, "")
    assert result.stderr.startswith(message)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("we:ird\nname.py", '"we:ird\\nname.py"'),
        ("my file.py", "my file.py"),
        ('say "hi".py', '"say \\"hi\\".py"'),
        ("tab\there.py", '"tab\\there.py"'),
        ("ünïcode.py", "ünïcode.py"),
    ],
)
@pytest.mark.parametrize("mode", ["files", "--staged", "--history"])
def test_odd_file_names_keep_the_report_one_line_per_finding(
    repository, name, shown, mode
):
    repository.write(name, f'AWS_KEY = "{FAKE_AWS_KEY}"\n')
    repository.git("add", "--", name)
    commit = repository.commit("odd name") if mode == "--history" else None

    result = scan() if mode == "files" else scan(mode)

    prefix = f"{commit[:12]} " if commit else ""
    assert result.exit_code == 10
    assert result.stdout == f"{prefix}{shown}:1: AWS Access Key\n"


def test_a_binary_file_with_an_odd_name_is_noted_quoted(repository):
    repository.write("bin\tfile.dat", b"\x00\x01" + FAKE_AWS_KEY.encode())
    repository.git("add", "--", "bin\tfile.dat")

    result = scan("--staged")

    assert (result.exit_code, result.stdout) == (0, "")
    assert 'note: skipped binary file "bin\\tfile.dat"' in result.stderr
