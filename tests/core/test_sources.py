"""Reading the values an operator hands to ``secrets push``."""

import io

import pytest

from caldron.errors import InvalidInputError
from caldron.sources import MAX_SOURCE_BYTES, load_values

FAKE = "sk_test_FAKE0000000000000000"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("v.env", f"STRIPE_SECRET_KEY={FAKE}\n", {"STRIPE_SECRET_KEY": FAKE}),
        ("v.env", "export   A='x y'\nexported_b=2\n", {"A": "x y", "exported_b": "2"}),
        ("v.env", 'K="line1\\nline2\\n"\n', {"K": "line1\nline2\n"}),
        ("v.env", "P='zX$9${USER}wq!'\n", {"P": "zX$9${USER}wq!"}),
        ("v.env", "E=\n", {"E": ""}),
        (
            "v.json",
            '{"A": "1", "PORT": 587, "ON": true}',
            {"A": "1", "PORT": "587", "ON": "true"},
        ),
        (
            "v.yaml",
            "A: '#00AAFF'\nB: |\n  l1\n  l2\n",
            {"A": "#00AAFF", "B": "l1\nl2\n"},
        ),
        ("v.yml", "", {}),
        (
            "v.yaml",
            "SMTP_PORT: 01113\nT: 9:47\nE:\n",
            {"SMTP_PORT": "01113", "T": "9:47", "E": ""},
        ),
        ("v.json", '{"F": 1.50, "G": 1e3}', {"F": "1.50", "G": "1e3"}),
    ],
)
def test_reads_each_format(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text)

    assert load_values(str(path)) == expected


def test_reads_standard_input():
    assert load_values("-", "json", stdin=io.StringIO('{"A": "b"}')) == {"A": "b"}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("v.env", "A=1\nnot an assignment\n", "line 2 is not a KEY=value"),
        ("v.env", "A=1\nB\n", "line 2 has a name but no '=' and no value"),
        ("v.env", "A=1\nA=2\n", "A is set twice"),
        ("v.json", '{"A": ', "is not valid JSON"),
        ("v.json", '{"A": "1", "A": "2"}', "A is set twice"),
        ("v.json", '["A"]', "must hold a mapping"),
        ("v.json", '{"A": {"nested": "x"}}', "A holds a dict"),
        ("v.json", "[" * 100000 + "]" * 100000, "nested too deeply"),
        ("v.yaml", "[" * 100000 + "]" * 100000, "nested too deeply"),
        ("v.yaml", "A: [1, 2]\n", "A holds a list"),
        ("v.yaml", "A: x\nA: y\n", "A is set twice"),
        ("v.json", '{"A": null}', "A holds nothing (null)"),
        ("v.yaml", "A: 'open\n", "is not valid YAML"),
    ],
)
def test_rejects_malformed_sources(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)

    with pytest.raises(InvalidInputError) as caught:
        load_values(str(path))

    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_malformed_line_does_not_echo_its_value(tmp_path):
    path = tmp_path / "v.env"
    path.write_text("GOOD=1\nSECRET='pw-CANARY-7731\n")

    with pytest.raises(InvalidInputError) as caught:
        load_values(str(path))

    assert "CANARY" not in str(caught.value)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_bytes(b"A=\xff\xfe\n"), "is not UTF-8"),
        (lambda p: p.write_bytes(b"A=" + b"x" * MAX_SOURCE_BYTES), "larger than"),
    ],
)
def test_rejects_unreadable_sources(tmp_path, setup, message):
    path = tmp_path / "values.env"
    setup(path)

    with pytest.raises(InvalidInputError, match=message):
        load_values(str(path))


@pytest.mark.parametrize(
    ("text", "withheld"),
    [
        (
            "APNS_AUTH_KEY=-----BEGIN KEY-----\nSEKRITmiGTAgEAMBMG==\n",
            "SEKRITmiGTAgEAMBMG",
        ),
        ("A=1\nMIIBfakeLINEone\nA=2\n", "MIIBfakeLINEone"),
    ],
)
def test_value_lines_read_as_names_are_never_echoed(tmp_path, text, withheld):
    from caldron.catalogue import load_catalogue
    from caldron.changes import check_values

    path = tmp_path / "v.env"
    path.write_text(text)

    with pytest.raises(InvalidInputError) as caught:
        check_values(load_catalogue(), "dev", load_values(str(path)))

    assert withheld not in str(caught.value)
