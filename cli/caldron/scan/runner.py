"""Putting a scan together: which documents, which detectors, what report."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from caldron.errors import UsageError
from caldron.scan import sources
from caldron.scan.env_files import find_committable_env_files, looks_like_env_file
from caldron.scan.findings import Finding, quote_path
from caldron.scan.generic import Acceptance, GenericDetector, load_baseline
from caldron.scan.git import (
    find_repository,
    list_committable_files,
    list_staged_files,
    require_repository,
)
from caldron.scan.known_values import KnownValues
from caldron.scan.sources import check_paths_exist

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanRequest:
    """What to scan. With no paths and neither ``staged`` nor ``history``, the
    files git would commit in the repository of ``start`` are scanned.
    ``history`` stands alone: it does not combine with paths or ``staged``."""

    paths: tuple[Path, ...] = ()
    staged: bool = False
    history: bool = False
    baseline: Path | None = None
    known_values: KnownValues | None = None
    start: Path = field(default_factory=Path.cwd)


@dataclass
class ScanReport:
    """The findings, sorted, and notes about what could not be scanned."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    documents: int = 0


def check_request(request: ScanRequest) -> Acceptance:
    """Check what needs no scanning: the options go together, the paths exist,
    git is there for ``--staged`` and ``--history``, the baseline is one.

    Return the findings the baseline accepts. The command calls this before
    it asks Vault for known values, so bad input never waits on Vault.
    """
    if request.history and (request.paths or request.staged):
        given = "paths" if request.paths else "--staged"
        raise UsageError(
            f"--history scans every commit of every ref; it does not combine "
            f"with {given}",
            hint="scan the history and the files or staged changes in two runs",
        )
    check_paths_exist(request.paths)
    if request.staged:
        require_repository(request.start, "--staged")
    if request.history:
        require_repository(request.start, "--history")
    return load_baseline(request.baseline) if request.baseline else frozenset()


def run_scan(request: ScanRequest) -> ScanReport:
    """Run every detector over the documents ``request`` selects.

    The baseline file itself is never scanned: its hashes of accepted secrets
    look like secrets.
    """
    accepted = check_request(request)
    repository = find_repository(request.start)
    report = ScanReport()
    found: set[Finding] = set()

    with GenericDetector(accepted) as generic:
        for document in _select_documents(request, repository):
            if _is_baseline(document, request.baseline, repository):
                logger.debug("caldron scan: skipped the baseline %s", document.name)
                continue
            report.documents += 1
            if document.binary:
                report.notes.append(f"skipped binary file {_place(document)}")
                continue
            found.update(generic.find_in(document))
            if request.known_values is not None:
                found.update(request.known_values.find_in(document))
            if document.commit and looks_like_env_file(document.name):
                found.add(_committed_env_file(document))

    if repository is not None:
        candidates = _env_file_candidates(request, repository)
        found.update(find_committable_env_files(repository, candidates))

    report.findings = sorted(found, key=_report_order)
    return report


def _select_documents(
    request: ScanRequest, repository: Path | None
) -> Iterator[sources.Document]:
    if request.paths:
        yield from _named(sources.read_paths(request.paths), repository)
    if request.staged:
        yield from sources.read_staged(require_repository(request.start, "--staged"))
    if request.history:
        yield from sources.read_history(require_repository(request.start, "--history"))
    if not (request.paths or request.staged or request.history):
        if repository is None:
            raise UsageError(
                f"nothing to scan: {request.start} is not in a git repository",
                hint="give the files or folders to scan",
            )
        files = [repository / name for name in list_committable_files(repository)]
        existing = tuple(file for file in files if file.is_file())
        yield from _named(sources.read_paths(existing), repository)


def _named(
    documents: Iterator[sources.Document], repository: Path | None
) -> Iterator[sources.Document]:
    """Name documents relative to the repository (as baselines and git do)."""
    for document in documents:
        yield _relative_document(document, repository)


def _relative_document(document: sources.Document, repository: Path | None):
    if repository is None:
        return document
    try:
        relative = Path(document.name).resolve().relative_to(repository.resolve())
    except ValueError:
        return document
    return replace(document, name=relative.as_posix())


def _is_baseline(
    document: sources.Document, baseline: Path | None, repository: Path | None
) -> bool:
    """True when ``document`` is the baseline file, on disk or in a change."""
    if baseline is None:
        return False
    if document.source is not None:
        return document.source.resolve() == baseline.resolve()
    if repository is None:
        return False
    try:
        relative = baseline.resolve().relative_to(repository.resolve())
    except ValueError:
        return False
    return document.name == relative.as_posix()


def _committed_env_file(document: sources.Document) -> Finding:
    return Finding(
        document.name, None, "rendered .env file in a commit", document.commit
    )


def _env_file_candidates(request: ScanRequest, repository: Path) -> list[str]:
    candidates = []
    for path in request.paths:
        try:
            relative = path.resolve().relative_to(repository.resolve())
        except ValueError:
            continue
        if path.is_dir():
            candidates.extend(list_committable_files(repository, under=path))
        else:
            candidates.append(relative.as_posix())
    if request.staged:
        candidates.extend(list_staged_files(repository))
    if not (request.paths or request.staged or request.history):
        candidates.extend(list_committable_files(repository))
    return candidates


def _place(document: sources.Document) -> str:
    name = quote_path(document.name)
    if document.commit:
        return f"{name} in commit {document.commit[:12]}"
    return name


def _report_order(finding: Finding) -> tuple:
    return (finding.commit or "", finding.path, finding.line or 0, finding.kind)
