"""The outcome of one verification check."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    """One check on one resource: ``check`` names what was checked (e.g.
    ``bucket-versioning``), ``subject`` the resource, ``detail`` why it passed
    or failed."""

    check: str
    subject: str
    passed: bool
    detail: str

    @property
    def status(self) -> str:
        """``PASS`` or ``FAIL``."""
        return "PASS" if self.passed else "FAIL"

    def to_dict(self) -> dict[str, str]:
        """The result as the ``--json`` report lists it."""
        return {
            "check": self.check,
            "subject": self.subject,
            "status": self.status,
            "detail": self.detail,
        }


def passed(check: str, subject: str, detail: str) -> CheckResult:
    """A check that found what the stack promises."""
    return CheckResult(check, subject, True, detail)


def failed(check: str, subject: str, detail: str) -> CheckResult:
    """A check that found something other than what the stack promises."""
    return CheckResult(check, subject, False, detail)
