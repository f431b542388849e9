"""``caldron infra check``'s work: run a stack offline, then judge it.

The program runs under the offline mocks with the stack's real settings, and
every rule of ``caldron_infra.policies`` is evaluated over what it
registered, the same rules the policy pack applies during a real preview.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from caldron.infra_check.harness import ProgramRun, run_program
from caldron.infra_check.stack_config import (
    StackConfig,
    find_project,
    read_stack_config,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PolicyVerdict:
    """One policy's result on one stack."""

    name: str
    description: str
    violations: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Whether the stack obeys this policy."""
        return not self.violations


@dataclass(frozen=True)
class StackCheck:
    """The offline run of one stack and every policy's verdict on it."""

    config: StackConfig
    run: ProgramRun
    verdicts: tuple[PolicyVerdict, ...]

    @property
    def passed(self) -> bool:
        """Whether every policy passed."""
        return all(v.passed for v in self.verdicts)


def check_stack(stack: str, start: Path | None = None) -> StackCheck:
    """Run ``stack`` offline and evaluate every policy over it."""
    project = find_project(start)
    config = read_stack_config(project, stack)
    run = run_program(project, config)
    verdicts = evaluate_policies(run, config)
    logger.debug(
        "stack %s: %d resources, %d policies failed",
        stack,
        len(run.resources),
        sum(not v.passed for v in verdicts),
    )
    return StackCheck(config=config, run=run, verdicts=verdicts)


def evaluate_policies(
    run: ProgramRun, config: StackConfig
) -> tuple[PolicyVerdict, ...]:
    """Apply every rule of the policy pack to an offline run."""
    from caldron_infra.policies import POLICIES, StackView

    view = StackView(
        stack=run.stack,
        resources=run.custom_resources,
        config=config.values,
        secret_keys=config.secure_keys,
    )
    return tuple(
        PolicyVerdict(policy.name, policy.description, tuple(policy.check(view)))
        for policy in POLICIES
    )
