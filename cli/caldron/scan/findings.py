"""What a scan reports: where a secret is and what kind it is, never what."""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """A secret found at ``path`` (and ``line``, when it has one).

    ``commit`` names the commit for findings in the history. ``kind`` says
    what was recognised, e.g. ``Private Key`` or ``known dev value
    (stripe: STRIPE_SECRET_KEY)``.
    """

    path: str
    line: int | None
    kind: str
    commit: str | None = None

    def describe(self) -> str:
        """Return the report line: ``[commit ]path[:line]: kind``."""
        place = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.commit:
            place = f"{self.commit[:12]} {place}"
        return f"{place}: {self.kind}"
