"""``caldron scan``: find secrets in files, staged changes or the history."""

from pathlib import Path

import click

from caldron.commands._options import mount_option
from caldron.errors import CheckFailedError


@click.command("scan")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--staged", is_flag=True, help="Scan what the index would commit.")
@click.option(
    "--history", is_flag=True, help="Scan what every commit of every ref added."
)
@click.option(
    "--env",
    "environment",
    metavar="ENV",
    help="Also look for every secret value of ENV now in Vault (as hashes).",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="detect-secrets baseline of accepted generic findings.",
)
@mount_option
def scan(paths, staged, history, environment, baseline, mount) -> None:
    """Find secrets before they reach git; report file, line and kind.

    Looks at PATHS (files or folders) and the staged changes (--staged), or
    at the history alone (--history); with none of them, at every file git
    would commit. The --baseline file itself is not scanned. A path holding
    a ':' or a control character is shown quoted, with JSON escapes. Exits 10
    when it finds anything.
    """
    from dataclasses import replace

    from caldron.environments import check_environment
    from caldron.scan import ScanRequest, check_request, run_scan

    if environment is not None:
        check_environment(environment)
    request = ScanRequest(
        paths=tuple(paths), staged=staged, history=history, baseline=baseline
    )
    check_request(request)
    if environment is not None:
        request = replace(request, known_values=_load_known_values(environment, mount))
    report = run_scan(request)

    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    for finding in report.findings:
        click.echo(finding.describe())
    if report.findings:
        raise CheckFailedError(
            f"{len(report.findings)} secret(s) found in {report.documents} "
            "document(s) scanned",
            hint="remove them (rotate any that were committed); accept a false "
            "positive in the --baseline file",
        )
    click.echo(f"no secrets found in {report.documents} document(s)", err=True)


def _load_known_values(environment: str, mount: str | None):
    from caldron.commands._options import open_store
    from caldron.scan.vault_values import load_known_values

    return load_known_values(open_store(mount), environment)
