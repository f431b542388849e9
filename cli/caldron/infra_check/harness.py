"""Run the Pulumi program in-process, the way the Python language host runs it.

Each run gets a fresh ``contextvars`` context and a fresh event loop, so the
SDK's global state (settings, config, root stack) never leaks from one run
into the next. Config is set before the program starts, ``infra/`` runs
through ``runpy.run_path`` as ``__main__``, and afterwards every exported
output is awaited and must be known: an unknown value never passes.
"""

import asyncio
import contextvars
import logging
import runpy
from dataclasses import dataclass, field
from typing import Any

from caldron.errors import CheckFailedError, InvalidInputError
from caldron.infra_check.mocks import (
    DuplicateResourceError,
    OfflineMocks,
    RecordingMonitor,
    RegisteredResource,
    UnknownInvokeError,
    UnknownResourceTypeError,
)
from caldron.infra_check.stack_config import Project, StackConfig

logger = logging.getLogger(__name__)

DEFAULT_REGION = "us-east-1"


@dataclass
class ProgramRun:
    """What one offline run of the program registered and exported."""

    stack: str
    resources: list[RegisteredResource]
    outputs: dict[str, Any]
    secret_outputs: frozenset[str]
    warnings: list[str] = field(default_factory=list)

    def of_type(self, resource_type: str) -> list[RegisteredResource]:
        """The custom resources of one type token."""
        return [r for r in self.resources if r.resource_type == resource_type]

    @property
    def custom_resources(self) -> list[RegisteredResource]:
        """Every AWS resource and provider, without the components."""
        return [r for r in self.resources if r.custom]


def run_program(project: Project, config: StackConfig) -> ProgramRun:
    """Run ``project``'s program for ``config.stack`` under offline mocks.

    A settings problem raises ``InvalidInputError`` naming the key and the
    stack file; a resource type or invoke the offline provider does not know
    raises ``CheckFailedError``.
    """
    isolated = contextvars.Context()
    try:
        return isolated.run(_run_in_fresh_runtime, project, config)
    except (UnknownResourceTypeError, UnknownInvokeError, DuplicateResourceError) as e:
        raise CheckFailedError(
            f"stack {config.stack}: {e}",
            hint="teach caldron/infra_check/mocks.py the new type, or fix the program",
        ) from None
    except Exception as error:
        settings_error = _as_settings_error(error, config)
        if settings_error is None:
            raise
        raise settings_error from None


def _run_in_fresh_runtime(project: Project, config: StackConfig) -> ProgramRun:
    import pulumi
    from pulumi.runtime import mocks as pulumi_mocks
    from pulumi.runtime.settings import get_root_resource, reset_options
    from pulumi.runtime.stack import run_pulumi_func

    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_log_abandoned_failure)
    asyncio.set_event_loop(loop)
    warnings = _WarningCollector()
    try:
        # set_mocks alone leaves the SDK's set of pending outputs shared
        # between runs; a full reset gives this run its own.
        reset_options(project=project.name, stack=config.stack, preview=False)
        offline = OfflineMocks(default_region=DEFAULT_REGION)
        monitor = RecordingMonitor(pulumi_mocks.MockMonitor(offline))
        pulumi.runtime.set_all_config(config.runtime_config, config.secret_keys)
        pulumi.runtime.set_mocks(
            offline,
            project=project.name,
            stack=config.stack,
            preview=False,
            monitor=monitor,
            logger=warnings.logger,
        )
        stack_resource = get_root_resource()

        program = str(project.program_dir)
        logger.debug("running %s for stack %s offline", program, config.stack)
        loop.run_until_complete(
            run_pulumi_func(lambda: runpy.run_path(program, run_name="__main__"))
        )
        if monitor.duplicates:
            # As with unknown types, the registration fails first; whether
            # that failure reaches the run depends on the SDK's timing.
            raise DuplicateResourceError(
                f"two resources share the URN {monitor.duplicates[0]}"
            )
        unknown = [*offline.unknown_types, *offline.unknown_invokes]
        if unknown:
            # Normally the registration itself fails; this catches a program
            # that swallowed that failure.
            raise UnknownResourceTypeError(
                f"unknown to the offline provider: {', '.join(unknown)}"
            )
        outputs, secret_outputs = loop.run_until_complete(
            _resolve_outputs(stack_resource.outputs)
        )
        return ProgramRun(
            stack=config.stack,
            resources=monitor.build_graph(),
            outputs=outputs,
            secret_outputs=secret_outputs,
            warnings=warnings.messages,
        )
    finally:
        _cancel_pending_tasks(loop)
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
        asyncio.set_event_loop(None)


def _cancel_pending_tasks(loop: asyncio.AbstractEventLoop) -> None:
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def _log_abandoned_failure(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    # After a failed run the SDK leaves registrations nobody awaits; the
    # failure itself has already been reported.
    logger.debug("abandoned after the run: %s", context.get("message"))


async def _resolve_outputs(exported: dict[str, Any]) -> tuple[dict, frozenset[str]]:
    import pulumi

    values: dict[str, Any] = {}
    secret: set[str] = set()
    for name, value in exported.items():
        output = pulumi.Output.from_input(value)
        if not await output.is_known():
            raise CheckFailedError(f"stack output {name!r} is unknown after the run")
        values[name] = await output.future()
        if await output.is_secret():
            secret.add(name)
    return values, frozenset(secret)


def _as_settings_error(error: Exception, config: StackConfig) -> Exception | None:
    from pulumi.config import ConfigMissingError, ConfigTypeError

    from caldron_infra.settings import SettingsError

    if isinstance(error, SettingsError):
        return InvalidInputError(str(error), hint="fix the stack file and rerun")
    if isinstance(error, ConfigMissingError | ConfigTypeError):
        # ConfigTypeError's own message repeats the value: name the key only.
        return InvalidInputError(
            f"{config.shown_path}: {error.key} is missing or has the wrong type",
            hint="fix the stack file and rerun",
        )
    return None


class _WarningCollector:
    """A private logger that keeps what the program logs at warning level."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.logger = logging.getLogger(f"{__name__}.program")
        self.logger.propagate = False
        self.logger.handlers = [_ListHandler(self.messages)]
        self.logger.setLevel(logging.WARNING)


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
