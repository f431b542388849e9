"""``caldron infra``: look at the Pulumi program without touching AWS."""

from collections import defaultdict

import click

from caldron.commands._options import stack_option
from caldron.errors import CheckFailedError


@click.group()
def infra() -> None:
    """Check caldron's Pulumi program (infra/ and stacks/)."""


@infra.command()
@stack_option
def check(stack: str) -> None:
    """Run the program offline under Pulumi's mocks with STACK's real settings,
    then apply the policy pack's rules to what it would create.

    This is not a preview: no Pulumi backend, cloud account or plugin is
    contacted. Exits 10 when a policy fails and 3 when the stack's settings
    are invalid.
    """
    from caldron.infra_check.check import check_stack

    result = check_stack(stack)
    click.echo(
        f"Offline check of stack {stack} ({result.config.shown_path}) under Pulumi "
        "mocks. This is not a preview: nothing was sent to AWS or a Pulumi backend."
    )
    _echo_resources(result.run)
    _echo_outputs(result.run)
    for warning in result.run.warnings:
        click.echo(f"Warning: {warning}", err=True)
    _echo_verdicts(result.verdicts)

    failed = [v.name for v in result.verdicts if not v.passed]
    if failed:
        raise CheckFailedError(
            f"stack {stack} violates {len(failed)} "
            f"polic{'y' if len(failed) == 1 else 'ies'}: {', '.join(failed)}",
            hint="fix infra/ or the stack file, then rerun `caldron infra check`",
        )


def _echo_resources(run) -> None:
    by_family: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for resource in run.custom_resources:
        by_family[resource.family][resource.resource_type].append(resource.name)

    click.echo(f"\nResources ({len(run.custom_resources)}):")
    for family in sorted(by_family):
        types = by_family[family]
        click.echo(f"  {family} ({sum(len(n) for n in types.values())})")
        for resource_type in sorted(types):
            names = ", ".join(sorted(types[resource_type]))
            click.echo(f"    {resource_type}: {names}")


def _echo_outputs(run) -> None:
    names = [
        f"{name} (secret)" if name in run.secret_outputs else name
        for name in sorted(run.outputs)
    ]
    click.echo(f"\nOutputs ({len(names)}): {', '.join(names)}")


def _echo_verdicts(verdicts) -> None:
    click.echo("\nPolicies:")
    for verdict in verdicts:
        mark = "PASS" if verdict.passed else "FAIL"
        click.echo(f"  {mark} {verdict.name}: {verdict.description}")
        for violation in verdict.violations:
            click.echo(f"       - {violation}")
    passed = sum(v.passed for v in verdicts)
    click.echo(f"\n{passed} of {len(verdicts)} policies passed.")
