"""Fixtures of the catalogue tests."""

import pytest
from fake_catalogue import write_catalogue_files


@pytest.fixture
def write_catalogue(tmp_path):
    """Return a function writing ``{file name: document}`` as a secrets folder."""

    def write(files: dict[str, object]):
        return write_catalogue_files(tmp_path / "secrets", files)

    return write
