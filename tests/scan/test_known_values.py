"""Known values, held as hashes, found in documents."""

import pytest

from caldron.scan.findings import Finding
from caldron.scan.known_values import KnownValues
from caldron.scan.sources import Document

STRIPE = "sk_test_FAKE51Habcdefghijklmnop"
PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIBfakeLINEoneFAKEFAKEFAKE\n"
    "QUJDfakeLINEtwoFAKEFAKEFAKE\n"
    "-----END PRIVATE KEY-----\n"
)
ESCAPED_PEM = PEM.strip().replace("\n", "\\n")


@pytest.fixture
def known() -> KnownValues:
    values = KnownValues()
    values.add(STRIPE, "known dev value (stripe: STRIPE_SECRET_KEY)")
    values.add(PEM, "known dev value (billing: SIGNING_KEY)")
    values.add("short", "known dev value (x: SHORT)")
    return values


def document(*lines: str) -> Document:
    return Document("file.txt", tuple(enumerate(lines, start=1)))


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ((f"key={STRIPE}",), [(1, "stripe: STRIPE_SECRET_KEY")]),
        ((f'{{"k": "{STRIPE}"}}', "other"), [(1, "stripe: STRIPE_SECRET_KEY")]),
        (("nothing", "  MIIBfakeLINEoneFAKEFAKEFAKE"), [(2, "billing: SIGNING_KEY")]),
        (
            ("-----BEGIN PRIVATE KEY-----", "QUJDfakeLINEtwoFAKEFAKEFAKE"),
            [(2, "billing: SIGNING_KEY")],
        ),
        (('"' + ESCAPED_PEM + '"',), [(1, "billing: SIGNING_KEY")]),
        (("sk_test_FAKE51Habcdefghijklmno",), []),
        (("short and shorter",), []),
    ],
)
def test_known_values_are_found_by_line(known, lines, expected):
    findings = list(known.find_in(document(*lines)))

    assert [
        (f.line, f.kind.removeprefix("known dev value (").rstrip(")")) for f in findings
    ] == expected


def test_only_hashes_are_kept(known):
    kept = repr(vars(known))

    assert STRIPE not in kept
    assert "MIIBfakeLINEone" not in kept


def test_a_finding_names_commit_file_line_and_kind():
    finding = Finding("a/b.txt", 7, "Private Key", "0123456789abcdef")

    assert finding.describe() == "0123456789ab a/b.txt:7: Private Key"
