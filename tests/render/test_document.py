"""render_env: exact text per consumer, validation, headers and no leaks."""

import io
import logging
import os
import subprocess
from unittest import mock

import pytest
from dotenv import dotenv_values

from caldron.errors import InvalidInputError, UsageError
from caldron.render import CONSUMERS, keys_with_outer_blanks, render_env

CANARY = "pw-CANARY-7731"
SMALL = [("API_KEY", "sk_test_FAKE 1"), ("GREETING", "It's")]


@pytest.mark.parametrize(
    ("consumer", "expected"),
    [
        (
            "python-dotenv",
            '# from caldron/dev/stripe v2\nAPI_KEY="sk_test_FAKE 1"\n'
            'GREETING="It\'s"\n',
        ),
        (
            "node-dotenv",
            "# from caldron/dev/stripe v2\nAPI_KEY='sk_test_FAKE 1'\nGREETING=`It's`\n",
        ),
        (
            "phpdotenv",
            '# from caldron/dev/stripe v2\nAPI_KEY="sk_test_FAKE 1"\n'
            'GREETING="It\'s"\n',
        ),
        (
            "symfony",
            "# from caldron/dev/stripe v2\nAPI_KEY='sk_test_FAKE 1'\n"
            "GREETING='It'\\''s'\n",
        ),
        (
            "shell",
            "# from caldron/dev/stripe v2\nexport API_KEY='sk_test_FAKE 1'\n"
            "export GREETING='It'\\''s'\n",
        ),
        (
            "docker",
            "# from caldron/dev/stripe v2\nAPI_KEY=sk_test_FAKE 1\nGREETING=It's\n",
        ),
        ("github-actions", "API_KEY=sk_test_FAKE 1\nGREETING=It's\n"),
        ("json", '{\n  "API_KEY": "sk_test_FAKE 1",\n  "GREETING": "It\'s"\n}\n'),
        (
            "portable",
            "# from caldron/dev/stripe v2\nAPI_KEY='sk_test_FAKE 1'\n",
        ),
    ],
)
def test_renders_the_exact_text_each_consumer_gets(consumer, expected):
    entries = SMALL if consumer != "portable" else SMALL[:1]
    text = render_env(entries, consumer, header=["from caldron/dev/stripe v2"])
    assert text == expected
    assert render_env(entries, consumer, header=["from caldron/dev/stripe v2"]) == text


@pytest.mark.parametrize("key", ["1ABC", "A-B", "A B", "", "export A", "KÄSE", "A\nB"])
@pytest.mark.parametrize("consumer", CONSUMERS)
def test_refuses_a_key_that_is_not_a_variable_name(key, consumer):
    with pytest.raises(InvalidInputError) as caught:
        render_env([(key, "fake")], consumer)
    assert repr(key) in caught.value.message
    assert caught.value.exit_code == 3


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_refuses_a_key_given_twice(consumer):
    with pytest.raises(InvalidInputError, match="API_KEY is given twice"):
        render_env([("API_KEY", "fake-1"), ("API_KEY", "fake-2")], consumer)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (f"{CANARY}\0tail", "NUL byte"),
        (f"{CANARY}\ud800", "not valid Unicode"),
    ],
)
@pytest.mark.parametrize("consumer", CONSUMERS)
def test_refuses_values_no_environment_can_hold_by_key_only(value, reason, consumer):
    with pytest.raises(InvalidInputError) as caught:
        render_env([("SMTP_PASSWORD", value)], consumer)
    assert "SMTP_PASSWORD" in caught.value.message
    assert reason in caught.value.message
    assert CANARY not in str(caught.value)


def test_refuses_an_unknown_consumer_with_the_known_ones():
    with pytest.raises(UsageError) as caught:
        render_env([("A", "fake")], "dotenvx")
    assert caught.value.exit_code == 2
    assert "'dotenvx'" in str(caught.value) and "portable" in str(caught.value)


@pytest.mark.parametrize(
    ("consumer", "value"),
    [
        ("docker", f"{CANARY}\nsecond line"),
        ("github-actions", f"{CANARY}\r"),
        ("node-dotenv", f"{CANARY}'\"`#"),
        ("portable", f"{CANARY}${{USER}}"),
        ("portable", f"{CANARY}'"),
        ("portable", f"{CANARY}\n\\"),
    ],
)
def test_a_refused_value_is_named_by_key_and_never_shown(consumer, value, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InvalidInputError) as caught:
        render_env([("OK_KEY", "fake"), ("SMTP_PASSWORD", value)], consumer)
    message = str(caught.value)
    assert f"the value of SMTP_PASSWORD cannot be written for {consumer}" in message
    assert CANARY not in message
    assert CANARY not in caplog.text
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_nothing_rendered_is_logged_at_any_level(consumer, caplog):
    caplog.set_level(logging.DEBUG)
    render_env([("SMTP_PASSWORD", f"  {CANARY}  ")], consumer)
    assert CANARY not in caplog.text


@pytest.mark.parametrize(
    ("value", "warned"),
    [
        ("  padded-secret  ", True),
        ("\tx\t", True),
        ("tok-123\n", True),
        ("-----BEGIN KEY-----\nfake\n-----END KEY-----\n", False),
        ("plain-fake", False),
        ("", False),
    ],
)
def test_stray_blanks_are_listed_by_key_and_kept(value, warned):
    text = render_env([("API_SECRET", value)], "python-dotenv")
    assert dotenv_values(stream=io.StringIO(text), interpolate=False) == {
        "API_SECRET": value
    }
    assert (keys_with_outer_blanks([("API_SECRET", value)]) == ["API_SECRET"]) is warned


def test_header_lines_become_comments_one_per_line():
    text = render_env([("A", "fake")], "shell", header=["one\ntwo", "", "three"])
    assert text == "# one\n# two\n#\n# three\nexport A='fake'\n"


def test_refuses_a_header_line_with_a_double_quote():
    with pytest.raises(InvalidInputError, match="header line holds a double quote"):
        render_env([("A", "fake")], "phpdotenv", header=['path "x"'])


def test_python_dotenv_files_say_which_keys_need_interpolate_false():
    entries = [("PG_PASSWORD", "zX$9${USER}wq!"), ("API_SALT", "$$literal$")]
    text = render_env(entries, "python-dotenv")
    assert text.splitlines()[0] == (
        "# Load this file with interpolate=False: python-dotenv would otherwise "
        "expand ${...} in the values of PG_PASSWORD."
    )
    assert dotenv_values(stream=io.StringIO(text), interpolate=False) == dict(entries)
    with mock.patch.dict(os.environ, {"USER": "alice"}):
        interpolated = dotenv_values(stream=io.StringIO(text))
    assert interpolated == {"PG_PASSWORD": "zX$9alicewq!", "API_SALT": "$$literal$"}


def test_python_dotenv_files_without_braces_carry_no_note():
    text = render_env(
        [("API_SALT", "$$literal$"), ("X", "pa$USERword")], "python-dotenv"
    )
    assert "interpolate" not in text


@pytest.mark.parametrize(
    ("value", "delimiter"),
    [
        ("line one\nline two", "CALDRON_EOF"),
        ("fake\nCALDRON_EOF\nmore", "CALDRON_EOF_1"),
        ("CALDRON_EOF\nCALDRON_EOF_1\n", "CALDRON_EOF_2"),
        ("fake\nxCALDRON_EOF", "CALDRON_EOF"),
    ],
)
def test_github_actions_heredoc_delimiter_never_equals_a_value_line(value, delimiter):
    text = render_env([("PEM", value)], "github-actions")
    assert text == f"PEM<<{delimiter}\n{value}\n{delimiter}\n"


@pytest.mark.parametrize(
    ("name", "value"),
    [("GREETING", 'It\'s "fine"'), ("PG_PASSWORD", "zX$9${USER}wq!")],
)
def test_sh_sourcing_the_shell_file_prints_the_same_bytes(name, value, tmp_path):
    (tmp_path / "out.env").write_text(render_env([(name, value)], "shell"))
    result = subprocess.run(
        ["sh", "-c", f'. ./out.env; printf %s "${name}"'],
        cwd=tmp_path,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "USER": "alice"},
        check=True,
    )
    assert result.stdout == value.encode()


def test_docker_values_are_written_without_quotes():
    text = render_env([("BAR2", "BAR2"), ("FLAGS", '{"a": 1}')], "docker")
    assert text == 'BAR2=BAR2\nFLAGS={"a": 1}\n'
