"""``caldron docs``: writing pages and checking that committed ones are fresh."""

import pytest
from click.testing import CliRunner

from caldron.catalogue import load_catalogue
from caldron.main import cli
from caldron.project import find_secrets_dir

PAGE_COUNT = len(load_catalogue().integrations) + 1


@pytest.fixture
def run():
    def invoke(*arguments: str):
        return CliRunner().invoke(cli, ["docs", *arguments])

    return invoke


def test_docs_writes_every_page_then_reports_nothing_changed(run, tmp_path):
    output = tmp_path / "pages"

    first = run("--output", str(output))
    second = run("--output", str(output))

    assert first.exit_code == 0
    assert first.output.startswith(
        f"{output}: {PAGE_COUNT} pages, {PAGE_COUNT} changed\n"
    )
    assert "  stripe.md\n" in first.output
    assert (output / "README.md").read_text().startswith("# Integrations\n")
    assert second.exit_code == 0
    assert second.output == f"{output}: {PAGE_COUNT} pages, 0 changed\n"


def test_check_passes_on_fresh_pages(run, tmp_path):
    run("--output", str(tmp_path))

    result = run("--output", str(tmp_path), "--check")

    assert result.exit_code == 0
    assert result.output == f"{tmp_path}: {PAGE_COUNT} pages up to date\n"


def test_check_exits_10_naming_edited_missing_and_leftover_pages(run, tmp_path):
    run("--output", str(tmp_path))
    (tmp_path / "stripe.md").write_text("# Stripe\n\nedited by hand\n")
    (tmp_path / "paypal.md").unlink()
    leftover = (tmp_path / "sentry.md").read_text()
    (tmp_path / "retired-service.md").write_text(leftover)
    (tmp_path / "notes.md").write_text("# Hand-written notes\n")

    result = run("--output", str(tmp_path), "--check")

    assert result.exit_code == 10
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {tmp_path}: 3 stale page(s): paypal.md, retired-service.md, "
        "stripe.md; 1 page(s) the catalogue does not generate: notes.md (run "
        "`caldron docs` and commit the result; move hand-written pages out of "
        "the folder, or add their integration to the catalogue)\n"
    )
    assert (tmp_path / "stripe.md").read_text() == "# Stripe\n\nedited by hand\n"


@pytest.mark.parametrize(
    "names", [["orphan.md"], ["orphan.md", "zz-notes.md"], ["a b.md"]]
)
def test_check_names_hand_written_pages_the_catalogue_does_not_generate(
    run, tmp_path, names
):
    run("--output", str(tmp_path))
    for name in names:
        (tmp_path / name).write_text("# Written by hand\n")
    (tmp_path / "diagram.png").write_bytes(b"\x89PNG fake")

    result = run("--output", str(tmp_path), "--check")

    assert (result.exit_code, result.stdout) == (10, "")
    assert result.stderr == (
        f"Error: {tmp_path}: {len(names)} page(s) the catalogue does not "
        f"generate: {', '.join(names)} (move hand-written pages out of the "
        "folder, or add their integration to the catalogue)\n"
    )


def test_writing_replaces_stale_pages_and_keeps_other_files(run, tmp_path):
    run("--output", str(tmp_path))
    (tmp_path / "stripe.md").write_text("edited\n")
    (tmp_path / "retired-service.md").write_text((tmp_path / "sentry.md").read_text())
    (tmp_path / "notes.md").write_text("# Hand-written notes\n")

    result = run("--output", str(tmp_path))

    assert result.exit_code == 0
    assert result.stdout == (
        f"{tmp_path}: {PAGE_COUNT} pages, 2 changed\n"
        "  retired-service.md\n"
        "  stripe.md\n"
    )
    assert result.stderr == (
        f"note: {tmp_path}: 1 page(s) the catalogue does not generate: notes.md, "
        "left in place (move hand-written pages out of the folder, or add their "
        "integration to the catalogue)\n"
    )
    assert not (tmp_path / "retired-service.md").exists()
    assert (tmp_path / "notes.md").read_text() == "# Hand-written notes\n"
    assert run("--output", str(tmp_path), "--check").exit_code == 10
    (tmp_path / "notes.md").unlink()
    assert run("--output", str(tmp_path), "--check").exit_code == 0


def test_check_of_an_empty_folder_names_every_page(run, tmp_path):
    result = run("--output", str(tmp_path / "none"), "--check")

    assert result.exit_code == 10
    assert f"{PAGE_COUNT} stale page(s): README.md, apns.md" in result.stderr
    assert not (tmp_path / "none").exists()


def test_default_output_is_docs_integrations_beside_secrets(run, tmp_path, monkeypatch):
    secrets_dir = tmp_path / "project" / "secrets"
    secrets_dir.mkdir(parents=True)
    (secrets_dir / "catalogue").symlink_to(find_secrets_dir() / "catalogue")
    monkeypatch.setenv("CALDRON_SECRETS_DIR", str(secrets_dir))

    result = run()

    folder = tmp_path / "project" / "docs" / "integrations"
    assert result.exit_code == 0
    assert result.output.startswith(
        f"{folder}: {PAGE_COUNT} pages, {PAGE_COUNT} changed"
    )
    assert (folder / "stripe.md").is_file()


def test_unwritable_output_is_invalid_input(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder\n")

    result = run("--output", str(blocker / "pages"))

    assert result.exit_code == 3
    assert result.stderr.startswith(
        f"Error: cannot write the pages to {blocker / 'pages'}"
    )
    assert blocker.read_text() == "not a folder\n"
