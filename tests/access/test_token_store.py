"""The token file: ``~/.vault-token``, owner-only, replaced atomically."""

import os
import stat

import pytest

from caldron.auth.token_store import store_token, token_file
from caldron.errors import InvalidInputError


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_a_new_token_file_is_owner_only_whatever_the_umask(isolated_home, umask):
    previous = os.umask(umask)
    try:
        path = store_token("s.fake-token-one")
    finally:
        os.umask(previous)

    assert path == isolated_home / ".vault-token" == token_file()
    assert path.read_text() == "s.fake-token-one"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_existing_readable_token_file_is_replaced_owner_only(isolated_home):
    path = isolated_home / ".vault-token"
    path.write_text("s.fake-old-token")
    path.chmod(0o644)

    store_token("s.fake-new-token")

    assert path.read_text() == "s.fake-new-token"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [entry.name for entry in isolated_home.iterdir()] == [".vault-token"]


@pytest.mark.parametrize("target", ["missing/.vault-token", "taken/.vault-token"])
def test_a_token_file_that_cannot_be_written_is_named_and_nothing_is_left(
    tmp_path, target
):
    (tmp_path / "taken" / ".vault-token").mkdir(parents=True)
    path = tmp_path / target

    with pytest.raises(InvalidInputError) as refused:
        store_token("s.fake-token-lost", path)

    assert refused.value.message.startswith(f"cannot store the token in {path} (")
    assert refused.value.exit_code == 3
    assert "s.fake-token-lost" not in str(refused.value)
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == [".vault-token"]
    assert (tmp_path / "taken" / ".vault-token").is_dir()
