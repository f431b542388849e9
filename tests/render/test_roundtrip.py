"""Every consumer reads back exactly what was rendered for it, through its
real parser; a value it cannot carry is refused by key, never by value."""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caldron.errors import InvalidInputError
from caldron.render import CONSUMERS, render_env

from .parsers import CONSUMER_READERS, READERS
from .values import HARD_CASES, REFUSED_HARD_CASES, env_values


def split_renderable(
    entries: list[tuple[str, str]], consumer: str
) -> tuple[list[tuple[str, str]], dict[str, InvalidInputError]]:
    """Render each entry alone; return those accepted and the refusals by key."""
    accepted, refused = [], {}
    for key, value in entries:
        try:
            render_env([(key, value)], consumer)
        except InvalidInputError as error:
            refused[key] = error
        else:
            accepted.append((key, value))
    return accepted, refused


def read_back(consumer: str, texts: list[str]) -> dict[str, list[dict]]:
    """What each real parser of ``consumer`` reads from each text."""
    with tempfile.TemporaryDirectory() as folder:
        return {
            reader: READERS[reader](texts, Path(folder))
            for reader in CONSUMER_READERS[consumer]
        }


def visible_part(parsed: dict, expected: dict, reader: str) -> dict:
    """A shell's environment also holds its own variables; compare ours only."""
    if reader in ("bash", "sh"):
        return {key: parsed.get(key) for key in expected}
    return parsed


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_hard_cases_read_back_exactly_or_are_refused_by_key(consumer):
    accepted, refused = split_renderable(list(HARD_CASES), consumer)
    text = render_env(accepted, consumer, header=["caldron/dev/billing version 3"])
    expected = dict(accepted)

    for reader, (parsed,) in read_back(consumer, [text]).items():
        assert visible_part(parsed, expected, reader) == expected, reader
    assert set(refused) == REFUSED_HARD_CASES[consumer]
    for key, error in refused.items():
        assert key in error.message and consumer in error.message


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_generated_values_read_back_exactly(consumer):
    texts, expectations = [], []

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(values=st.lists(env_values, min_size=1, max_size=10))
    def collect(values):
        entries = [(f"V{number}", value) for number, value in enumerate(values)]
        accepted, refused = split_renderable(entries, consumer)
        for key, error in refused.items():
            assert key in error.message
        if accepted:
            texts.append(render_env(accepted, consumer))
            expectations.append(dict(accepted))

    collect()
    assert texts, "hypothesis produced no value this consumer can carry"

    for reader, parsed_files in read_back(consumer, texts).items():
        for text, expected, parsed in zip(
            texts, expectations, parsed_files, strict=True
        ):
            got = visible_part(parsed, expected, reader)
            assert got == expected, f"{reader} misread:\n{text}"
