"""``caldron verify``: check the live AWS account against a stack's promises."""

import json

import click

from caldron.commands._options import stack_option
from caldron.errors import CheckFailedError


def check_region_option(
    context: click.Context, parameter: click.Parameter, value: str | None
) -> str | None:
    """Refuse a ``--region`` that is not a region name, before any AWS call."""
    from caldron.verify.shapes import REGION

    if value is not None and not REGION.matches(value):
        raise click.BadParameter(f"not {REGION.description}")
    return value


@click.command()
@stack_option
@click.option(
    "--from",
    "source",
    metavar="FILE|-",
    default=None,
    help="Read the stack outputs JSON from FILE or - (stdin) instead of running "
    "`pulumi stack output --json`. Secret outputs may be masked.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report.")
@click.option(
    "--region",
    default=None,
    metavar="REGION",
    callback=check_region_option,
    help="AWS region of the stack (default: the storage_bucket_region output, "
    "else AWS_DEFAULT_REGION or the profile).",
)
def verify(stack: str, source: str | None, as_json: bool, region: str | None) -> None:
    """Check the deployed STACK with read-only AWS calls.

    Buckets exist, block public access, are encrypted and versioned; the CDN
    is enabled, HTTPS-only and reads S3 through an origin access control; the
    SES identity is verified with DKIM; the backup vault, plan and selection
    exist; every alarm exists; the alerts topic has a confirmed subscription.
    Secret outputs are never needed, so masked ones are fine. Exits 3 when an
    output is missing or malformed (checked before any AWS call), 4 when AWS
    cannot be reached, 10 when any check fails.

    \b
    Examples:
      caldron verify --stack dev
      pulumi stack output --json --stack dev \\
        | caldron verify --stack dev --from - --json
    """
    from caldron.stack_outputs import read_stack_outputs
    from caldron.verify import StackTargets, run_checks
    from caldron.verify.aws import AwsClients, translate_aws_errors

    outputs = read_stack_outputs(stack, source, secrets_needed=False)
    targets = StackTargets.from_outputs(outputs, stack)
    with translate_aws_errors():
        clients = AwsClients(region or targets.bucket_region)
    results = run_checks(targets, clients)

    failures = [result for result in results if not result.passed]
    if as_json:
        report = {
            "stack": stack,
            "region": clients.region,
            "passed": not failures,
            "checks": [result.to_dict() for result in results],
        }
        click.echo(json.dumps(report, indent=2))
    else:
        for result in results:
            click.echo(format_result(result))
        click.echo(f"{len(results)} checks, {len(failures)} failed")

    if failures:
        raise CheckFailedError(
            f"{len(failures)} of {len(results)} checks failed for stack {stack}",
            hint="see the FAIL lines of the report",
        )


def format_result(result) -> str:
    """One report line: status, check, resource and why."""
    return f"{result.status}  {result.check:<20} {result.subject}: {result.detail}"
