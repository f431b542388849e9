"""The one-line report format: ``[commit ]path[:line]: kind``."""

import pytest

from caldron.scan.findings import Finding, quote_path


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("app/settings.py", "app/settings.py"),
        ("my file.py", "my file.py"),
        ("ünïcode.py", "ünïcode.py"),
        ("we:ird\nname.py", '"we:ird\\nname.py"'),
        ("c:\\temp\\x.py", '"c:\\\\temp\\\\x.py"'),
        ("tab\there.py", '"tab\\there.py"'),
        ("cr\rhere.py", '"cr\\rhere.py"'),
        ("bell\x07.py", '"bell\\u0007.py"'),
        ("del\x7f.py", '"del\\u007f.py"'),
        ("next\x85line.py", '"next\\u0085line.py"'),
        ("line\u2028sep.py", '"line\\u2028sep.py"'),
        ('say "hi".py', '"say \\"hi\\".py"'),
        ("back\\slash.py", '"back\\\\slash.py"'),
        ("bad\udcffbyte.py", '"bad\\udcffbyte.py"'),
    ],
)
def test_paths_that_would_break_the_line_are_quoted(path, shown):
    assert quote_path(path) == shown


@pytest.mark.parametrize(
    ("finding", "line"),
    [
        (Finding("a/b.txt", 7, "Private Key"), "a/b.txt:7: Private Key"),
        (Finding(".env", None, "rendered .env file"), ".env: rendered .env file"),
        (
            Finding("a/b.txt", 7, "Private Key", "0123456789abcdef"),
            "0123456789ab a/b.txt:7: Private Key",
        ),
        (
            Finding("we:ird\nname.py", 1, "AWS Access Key", "0123456789abcdef"),
            '0123456789ab "we:ird\\nname.py":1: AWS Access Key',
        ),
        (Finding("x:1", None, "Secret Keyword"), '"x:1": Secret Keyword'),
    ],
)
def test_a_finding_is_one_line_naming_commit_file_line_and_kind(finding, line):
    assert finding.describe() == line
    assert len(finding.describe().splitlines()) == 1
