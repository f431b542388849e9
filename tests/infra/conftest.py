"""Fixtures for the Pulumi program's tests: the real project, its stacks run
offline once per session, and scratch projects for broken variants."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from caldron.infra_check.harness import ProgramRun, run_program
from caldron.infra_check.stack_config import (
    Project,
    find_project,
    read_project,
    read_stack_config,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
STACKS = ("dev", "staging", "prod")


@pytest.fixture(scope="session")
def project() -> Project:
    """The real caldron project in this checkout."""
    return find_project(REPO_ROOT)


@pytest.fixture(scope="session")
def stack_runs(project: Project) -> Callable[[str], ProgramRun]:
    """Run a real stack offline, once per session, and hand back its run."""
    runs: dict[str, ProgramRun] = {}

    def run(stack: str) -> ProgramRun:
        if stack not in runs:
            runs[stack] = run_program(project, read_stack_config(project, stack))
        return runs[stack]

    return run


def real_stack_document(stack: str) -> dict[str, Any]:
    """A fresh copy of a real stack file's YAML document."""
    path = REPO_ROOT / "stacks" / f"Pulumi.{stack}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def scratch_project(tmp_path: Path) -> Callable[..., Project]:
    """A project in ``tmp_path`` that runs the real ``infra/`` with a stack
    file you write: ``scratch_project("prod", edit=lambda config: ...)``."""

    def make(
        stack: str,
        edit: Callable[[dict[str, Any]], None] | None = None,
        document: dict[str, Any] | None = None,
        program_dir: Path | None = None,
    ) -> Project:
        (tmp_path / "Pulumi.yaml").write_text(
            yaml.safe_dump(
                {
                    "name": "caldron",
                    "runtime": "python",
                    "main": str(program_dir or REPO_ROOT / "infra"),
                    "stackConfigDir": "stacks",
                }
            ),
            encoding="utf-8",
        )
        base = stack if stack in STACKS else "dev"
        document = document if document is not None else real_stack_document(base)
        if edit is not None:
            edit(document["config"])
        stacks = tmp_path / "stacks"
        stacks.mkdir(exist_ok=True)
        (stacks / f"Pulumi.{stack}.yaml").write_text(
            yaml.safe_dump(document), encoding="utf-8"
        )
        return read_project(tmp_path)

    return make


@pytest.fixture(scope="session")
def stack_document() -> Callable[[str], dict[str, Any]]:
    """Read a real stack file's YAML document afresh."""
    return real_stack_document
