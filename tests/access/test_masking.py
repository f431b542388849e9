"""Masking secret values in a child's output (``caldron run --mask``)."""

import io
import logging
import subprocess
import sys

import pytest

from caldron.masking import (
    MASK,
    Masker,
    build_masker,
    in_github_actions,
    register_github_masks,
)

TOKEN = "tok-FAKE-abcdef123456"
LONGER = "tok-FAKE-abcdef123456-and-more"
PEM = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIBfakeLINEone\n"
    "QUJDfakeLINEtwo\n"
    "-----END PRIVATE KEY-----\n"
)


@pytest.mark.parametrize(
    ("values", "text", "expected"),
    [
        ([TOKEN], f"token={TOKEN}\n", f"token={MASK}\n"),
        ([TOKEN], f"{TOKEN}{TOKEN}", f"{MASK}{MASK}"),
        ([TOKEN, LONGER], f"a {LONGER} b {TOKEN}", f"a {MASK} b {MASK}"),
        (
            [PEM],
            "line MIIBfakeLINEone\nQUJDfakeLINEtwo end",
            f"line {MASK}\n{MASK} end",
        ),
        ([PEM], PEM, f"{MASK}\n{MASK}\n{MASK}\n{MASK}\n"),
        (
            [PEM],
            '{"key": "' + PEM.strip().replace("\n", "\\n") + '"}',
            f'{{"key": "{MASK}"}}',
        ),
        (["  padded-FAKE  "], "x=padded-FAKE;", f"x={MASK};"),
        (["a.b*c+FAKE"], "regex a.b*c+FAKE axbbbcFAKE", f"regex {MASK} axbbbcFAKE"),
        (["pässwörd-FAKE"], "v=pässwörd-FAKE", f"v={MASK}"),
        (["abc"], "abc stays: too short to mask", "abc stays: too short to mask"),
        ([], "nothing to hide", "nothing to hide"),
    ],
)
def test_mask_text(values, text, expected):
    assert Masker(values).mask_text(text) == expected


def test_longest_value_wins_over_its_prefix():
    masker = Masker([TOKEN, LONGER])

    assert masker.fragments[0] == LONGER
    assert masker.mask_text(LONGER) == MASK


class TrickleReader(io.RawIOBase):
    """A raw stream that hands out at most three bytes per read."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk, self._data = self._data[:3], self._data[3:]
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_value_split_across_reads_is_still_masked():
    source = io.BufferedReader(
        TrickleReader(f"start {TOKEN} end\nlast {TOKEN}".encode()), 3
    )
    sink = io.BytesIO()

    Masker([TOKEN]).mask_stream(source, sink)

    assert sink.getvalue() == f"start {MASK} end\nlast {MASK}".encode()


def test_a_child_writing_a_value_in_pieces_is_masked_and_keeps_its_exit_code():
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "sys.stdout.write('key=tok-FAKE-'); sys.stdout.flush(); time.sleep(0.05)\n"
            "sys.stdout.write('abcdef123456 done\\n'); sys.stdout.flush()\n"
            "sys.exit(3)\n",
        ],
        stdout=subprocess.PIPE,
    )
    sink = io.BytesIO()

    Masker([TOKEN]).mask_stream(child.stdout, sink)

    assert child.wait() == 3
    assert sink.getvalue() == f"key={MASK} done\n".encode()


def test_github_masks_are_registered_per_value_line():
    stream = io.StringIO()

    count = register_github_masks([PEM, "50%-off\rFAKE-value"], stream)

    escaped_pem = PEM.strip().replace("\n", "\\n")
    assert count == 8
    assert stream.getvalue().splitlines() == [
        f"::add-mask::{escaped_pem}",
        "::add-mask::-----BEGIN PRIVATE KEY-----",
        "::add-mask::-----END PRIVATE KEY-----",
        "::add-mask::50%25-off%0DFAKE-value",
        "::add-mask::MIIBfakeLINEone",
        "::add-mask::QUJDfakeLINEtwo",
        "::add-mask::FAKE-value",
        "::add-mask::50%25-off",
    ]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"GITHUB_ACTIONS": "true"}, True),
        ({"GITHUB_ACTIONS": "false"}, False),
        ({}, False),
    ],
)
def test_github_actions_detection(environ, expected):
    assert in_github_actions(environ) is expected


def test_short_values_are_named_by_key_never_shown(caplog):
    caplog.set_level(logging.WARNING, logger="caldron.masking")

    masker = build_masker({"PIN": "1234-FAKE\n42", "API_KEY": TOKEN})

    assert masker.mask_text(f"{TOKEN} 1234-FAKE 42") == f"{MASK} {MASK} 42"
    assert [record.getMessage() for record in caplog.records] == [
        "caldron: PIN has a line shorter than 4 characters; that line is not masked"
    ]
