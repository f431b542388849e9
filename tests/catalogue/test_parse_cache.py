"""The cache of parsed catalogue files: same text, one parse."""

import pytest

from caldron.catalogue import load_catalogue
from caldron.catalogue.parse_cache import cache_folder, load_parsed


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALDRON_HOME", str(tmp_path / "home"))
    return tmp_path / "home" / "cache"


def counting_parser(calls):
    def parse(text):
        calls.append(text)
        return {"text": text, "lines": text.count("\n")}

    return parse


def test_the_same_text_is_parsed_once(cache_home):
    calls = []

    first = load_parsed("a: 1\n", counting_parser(calls))
    second = load_parsed("a: 1\n", counting_parser(calls))

    assert first == second == {"text": "a: 1\n", "lines": 1}
    assert calls == ["a: 1\n"]
    assert cache_folder() == cache_home


def test_edited_text_is_parsed_again(cache_home):
    calls = []

    load_parsed("a: 1\n", counting_parser(calls))
    edited = load_parsed("a: 2\n", counting_parser(calls))

    assert edited["text"] == "a: 2\n"
    assert calls == ["a: 1\n", "a: 2\n"]


@pytest.mark.parametrize("damage", ["unwritable", "corrupt"])
def test_a_broken_cache_only_costs_a_parse(cache_home, damage):
    calls = []
    if damage == "unwritable":
        cache_home.parent.mkdir(parents=True)
        cache_home.write_text("a file where the folder should be")
    else:
        load_parsed("a: 1\n", counting_parser([]))
        for entry in (cache_home / "catalogue").iterdir():
            entry.write_text("{not json")

    result = load_parsed("a: 1\n", counting_parser(calls))

    assert result == {"text": "a: 1\n", "lines": 1}
    assert calls == ["a: 1\n"]


def test_the_catalogue_reads_the_same_from_the_cache(cache_home):
    parsed = load_catalogue()
    cached = load_catalogue()

    assert cached == parsed
    assert len(list((cache_home / "catalogue").iterdir())) == 5
