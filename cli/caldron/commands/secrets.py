"""``caldron secrets``: push, inspect and roll back an environment's secrets."""

import json
import sys

import click

from caldron import changes
from caldron.commands._options import (
    echo_lines,
    environment_option,
    mount_option,
    open_store,
    stack_option,
)
from caldron.errors import (
    CheckFailedError,
    InvalidInputError,
    NotFoundError,
    UsageError,
)
from caldron.key_names import printable_key_name
from caldron.sources import FORMATS, load_values


@click.group("secrets")
def secrets_group() -> None:
    """Push, inspect and roll back the secrets of an environment in Vault."""


@secrets_group.command("push")
@environment_option
@click.argument("source", required=False, metavar="[FILE|-]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Format of the source (default: by suffix, else dotenv).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Make the source the whole secret of each integration it names.",
)
@click.option("--dry-run", is_flag=True, help="Show the changes; write nothing.")
@mount_option
def push(environment, source, fmt, replace, dry_run, mount) -> None:
    """Validate values and write those that change into Vault.

    Values come from a dotenv, JSON or YAML FILE, or from standard input
    ('-'). With a terminal attached, required keys still missing in the
    integrations the source names are asked for with hidden input. The
    changes are shown by key name only, never by value.
    """
    from caldron.catalogue import load_catalogue

    interactive = stdin_is_terminal() and source != "-"
    explicit_source = source is not None
    if source is None and not interactive:
        source = "-"
    values = load_values(source, fmt) if source is not None else {}
    if not values and not interactive:
        if explicit_source:
            label = "standard input" if source == "-" else source
            raise InvalidInputError(f"{label} holds no values to push")
        raise UsageError(
            "no FILE given, nothing on standard input, and no terminal to ask on",
            hint="pass a FILE, pipe values into '-', or run from a terminal",
        )
    catalogue = load_catalogue()
    changes.check_values(catalogue, environment, values)

    store = open_store(mount)
    store.check_mount()
    grouped = changes.group_by_integration(catalogue, values)
    if interactive and not values:
        grouped = {integration.slug: {} for integration in catalogue.integrations}
    stored = store.read_many(environment, list(grouped))
    if interactive:
        _ask_for_missing(catalogue, environment, grouped, {} if replace else stored)
        changes.check_values(catalogue, environment, _flatten(grouped))
        grouped = {slug: values for slug, values in grouped.items() if values}

    plan = changes.plan_changes(
        catalogue, environment, grouped, stored, replace=replace
    )
    _refuse_incomplete(catalogue, plan)
    _show_and_apply(store, plan, dry_run)


@secrets_group.command("example")
@environment_option
def example(environment) -> None:
    """Print a dotenv of the catalogue's fake example values for every key.

    The values are obviously fake test credentials, meant for the local
    Vault and dev; prod refuses them. Push the result with 'secrets push'.
    """
    from caldron.catalogue import load_catalogue
    from caldron.render import render_env

    catalogue = load_catalogue()
    entries = [
        (spec.name, spec.example)
        for integration in catalogue.integrations
        for spec in integration.keys
    ]
    changes.check_values(catalogue, environment, dict(entries))
    header = [f"Fake example credentials for {environment}: not real secrets."]
    click.echo(render_env(entries, "portable", header), nl=False)


@secrets_group.command("sync-outputs")
@stack_option
@click.option(
    "--from",
    "source",
    metavar="FILE|-",
    help="JSON of 'pulumi stack output --json --show-secrets' (default: run it).",
)
@click.option("--dry-run", is_flag=True, help="Show the changes; write nothing.")
@mount_option
def sync_outputs(stack, source, dry_run, mount) -> None:
    """Write the stack outputs that the catalogue draws on into Vault."""
    from caldron.catalogue import load_catalogue
    from caldron.stack_outputs import read_stack_outputs

    catalogue = load_catalogue()
    outputs = read_stack_outputs(stack, source)
    values = _values_from_outputs(catalogue, outputs, stack)
    changes.check_values(catalogue, stack, values)

    store = open_store(mount)
    store.check_mount()
    grouped = changes.group_by_integration(catalogue, values)
    stored = store.read_many(stack, list(grouped))
    plan = changes.plan_changes(catalogue, stack, grouped, stored)
    _show_and_apply(store, plan, dry_run)


@secrets_group.command("status")
@environment_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@mount_option
def status(environment, as_json, mount) -> None:
    """Show, per integration, its version and which keys are missing or invalid.

    Exits 10 when a required key is missing or a stored value is invalid.
    """
    from caldron.catalogue import load_catalogue

    catalogue = load_catalogue()
    store = open_store(mount)
    store.check_mount()
    slugs = [integration.slug for integration in catalogue.integrations]
    stored = store.read_many(environment, slugs)
    report = [
        _integration_status(integration, stored.get(integration.slug), environment)
        for integration in catalogue.integrations
    ]

    if as_json:
        click.echo(
            json.dumps({"environment": environment, "integrations": report}, indent=2)
        )
    else:
        echo_lines(_format_status(report))
    needing_attention = [e for e in report if e["missing"] or e["invalid"]]
    if needing_attention:
        raise CheckFailedError(
            f"{len(needing_attention)} integration(s) in {environment} have "
            "missing or invalid keys",
            hint=f"push them with 'caldron secrets push --env {environment}'",
        )


@secrets_group.command("history")
@environment_option
@click.argument("integration", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@mount_option
def history(environment, integration, as_json, mount) -> None:
    """List the versions Vault keeps of one integration (or of every one)."""
    from caldron.catalogue import load_catalogue

    catalogue = load_catalogue()
    slugs = (
        [_known_integration(catalogue, integration).slug]
        if integration
        else [entry.slug for entry in catalogue.integrations]
    )
    store = open_store(mount)
    store.check_mount()

    listing = {}
    for slug in slugs:
        try:
            listing[slug] = store.versions(environment, slug)
        except NotFoundError:
            if integration:
                raise
            listing[slug] = []

    if as_json:
        document = {
            slug: [_version_as_dict(info) for info in versions]
            for slug, versions in listing.items()
        }
        click.echo(json.dumps(document, indent=2))
        return
    for slug, versions in listing.items():
        if not versions:
            click.echo(f"{environment}/{slug}: no versions")
            continue
        click.echo(f"{environment}/{slug}:")
        for info in versions:
            click.echo("  " + _format_version(info))


@secrets_group.command("rollback")
@environment_option
@click.argument("integration")
@click.option(
    "--version",
    "target_version",
    type=click.IntRange(min=1),
    help="The version to restore (default: the newest earlier readable one).",
)
@click.option("--dry-run", is_flag=True, help="Show the changes; write nothing.")
@mount_option
def rollback(environment, integration, target_version, dry_run, mount) -> None:
    """Restore an older version by writing it as a new one; nothing is lost."""
    from caldron.catalogue import load_catalogue

    catalogue = load_catalogue()
    slug = _known_integration(catalogue, integration).slug
    store = open_store(mount)
    store.check_mount()

    versions = store.versions(environment, slug)
    current_version = max(info.version for info in versions)
    target_version = target_version or _previous_version(
        versions, current_version, f"{environment}/{slug}"
    )
    if target_version == current_version:
        raise InvalidInputError(
            f"version {target_version} of {environment}/{slug} is already current"
        )
    target = store.read_version(environment, slug, target_version)
    current = store.read(environment, slug)

    changes.check_values(catalogue, environment, dict(target.data))
    change = changes.IntegrationChange(
        slug,
        current_version,
        dict(current.data) if current is not None else {},
        dict(target.data),
    )
    plan = changes.ChangePlan(environment, [change])
    click.echo(f"restoring {environment}/{slug} version {target_version}")
    _show_and_apply(store, plan, dry_run)


def stdin_is_terminal() -> bool:
    """Whether a person can be asked for values on standard input."""
    return sys.stdin.isatty()


def _show_and_apply(store, plan, dry_run: bool) -> None:
    echo_lines(changes.describe_plan(plan))
    if not plan.pending:
        click.echo("Nothing to change.")
        return
    if dry_run:
        click.echo(f"Dry run: {len(plan.pending)} secret(s) would be written.")
        return

    def report(change, version):
        click.echo(f"wrote {plan.environment}/{change.slug} version {version}")

    changes.apply_plan(store, plan, report)


def _ask_for_missing(catalogue, environment, grouped, stored) -> None:
    for slug, values in grouped.items():
        secret = stored.get(slug)
        have = set(values) | set(secret.data if secret is not None else {})
        for spec in catalogue.get(slug).keys:
            if spec.is_required(environment) and spec.name not in have:
                values[spec.name] = click.prompt(
                    spec.name, hide_input=spec.secret, err=True
                )


def _flatten(grouped) -> dict[str, str]:
    return {key: value for values in grouped.values() for key, value in values.items()}


def _refuse_incomplete(catalogue, plan) -> None:
    """Refuse a push that would leave an integration without a required key."""
    gaps = []
    for change in plan.pending:
        missing = [
            spec.name
            for spec in catalogue.get(change.slug).keys
            if spec.is_required(plan.environment) and spec.name not in change.desired
        ]
        if missing:
            gaps.append(f"{plan.environment}/{change.slug} ({', '.join(missing)})")
    if gaps:
        raise InvalidInputError(
            "required keys are missing for: " + "; ".join(gaps),
            hint="add them to the source, or push from a terminal to be asked "
            "for them; nothing was written",
        )


def _values_from_outputs(catalogue, outputs: dict, stack: str) -> dict[str, str]:
    values, absent = {}, []
    for integration in catalogue.integrations:
        for spec in integration.keys:
            if spec.source_output is None:
                continue
            if spec.source_output not in outputs:
                if spec.is_required(stack):
                    absent.append(f"{spec.source_output} (for {spec.name})")
                continue
            values[spec.name] = _output_as_text(outputs[spec.source_output])
    if absent:
        raise InvalidInputError(
            f"stack {stack} lacks outputs the catalogue expects: " + ", ".join(absent),
            hint="run 'pulumi up' for that stack, or check the catalogue's source",
        )
    return values


def _output_as_text(value) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _known_integration(catalogue, name: str):
    return catalogue.get(name)


def _previous_version(versions, current_version: int, path: str) -> int:
    readable = [
        info.version
        for info in versions
        if info.version < current_version
        and not info.destroyed
        and not info.deletion_time
    ]
    if not readable:
        raise NotFoundError(f"{path} has no earlier readable version to roll back to")
    return max(readable)


def _integration_status(integration, secret, environment) -> dict:
    data = secret.data if secret is not None else {}
    known = {spec.name for spec in integration.keys}
    invalid, reasons = [], {}
    for spec in integration.keys:
        if spec.name in data:
            try:
                spec.check_value(data[spec.name], environment)
            except InvalidInputError as error:
                invalid.append(spec.name)
                reasons[spec.name] = error.message.removeprefix(f"{spec.name}: ")
    return {
        "integration": integration.slug,
        "category": integration.category,
        "path": f"{environment}/{integration.slug}",
        "version": secret.version if secret is not None else None,
        "updated": secret.created_time if secret is not None else None,
        "missing": [
            spec.name
            for spec in integration.keys
            if spec.is_required(environment) and spec.name not in data
        ],
        "invalid": invalid,
        "invalid_reasons": reasons,
        "unknown": sorted(printable_key_name(key) for key in set(data) - known),
    }


def _format_status(report) -> list[str]:
    lines = []
    for entry in report:
        version = "absent" if entry["version"] is None else f"v{entry['version']}"
        updated = f" updated {entry['updated']}" if entry["updated"] else ""
        state = "ok"
        if entry["missing"] or entry["invalid"]:
            state = "NEEDS ATTENTION"
        lines.append(f"{entry['path']}: {state} ({version}{updated})")
        if entry["missing"]:
            lines.append(f"  missing: {', '.join(entry['missing'])}")
        for key in entry["invalid"]:
            lines.append(f"  invalid: {key} ({entry['invalid_reasons'][key]})")
        if entry["unknown"]:
            lines.append(f"  unknown: {', '.join(entry['unknown'])}")
    return lines


def _version_as_dict(info) -> dict:
    return {
        "version": info.version,
        "created_time": info.created_time,
        "deletion_time": info.deletion_time or None,
        "destroyed": info.destroyed,
    }


def _format_version(info) -> str:
    state = ""
    if info.destroyed:
        state = " (destroyed)"
    elif info.deletion_time:
        state = f" (deleted {info.deletion_time})"
    return f"v{info.version} {info.created_time}{state}"
