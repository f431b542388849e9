"""Read a rendered file back the way its consumer does, for verification."""

import io
import json
from collections.abc import Mapping

READABLE_CONSUMERS = ("python-dotenv", "portable", "json")


def parse_env(text: str, consumer: str) -> dict[str, str] | None:
    """Return the keys and values that ``consumer`` reads from ``text``, or
    ``None`` when caldron has no reader of its own for that consumer
    (Node's dotenv, phpdotenv, symfony, shell, docker, github-actions).

    dotenv files are read with python-dotenv's ``dotenv_values`` and
    ``interpolate=False``: the file's own values, never ``os.environ``, and no
    ``${...}`` expansion. A ``portable`` file reads the same in every dotenv
    consumer, so python-dotenv stands for all of them.
    """
    if consumer == "json":
        return json.loads(text)
    if consumer not in READABLE_CONSUMERS:
        return None

    from dotenv import dotenv_values

    values = dotenv_values(stream=io.StringIO(text), interpolate=False)
    return {key: value or "" for key, value in values.items()}


def find_shadowed_keys(
    values: Mapping[str, str], environment: Mapping[str, str]
) -> list[str]:
    """Keys already set in ``environment`` to something other than the file's
    value: a loader that does not override would keep the stale one."""
    return [
        key
        for key, value in values.items()
        if key in environment and environment[key] != value
    ]
