"""Rendering environment files that each consumer reads back exactly.

``render_env`` turns keys and values into text for one consumer;
``write_env_file`` puts text on disk atomically, 0600 and out of git's reach;
``parse_env`` reads a rendered file back the way caldron verifies it.
"""

from caldron.render.document import CONSUMERS, keys_with_outer_blanks, render_env
from caldron.render.reader import find_shadowed_keys, parse_env
from caldron.render.writer import write_env_file

__all__ = [
    "CONSUMERS",
    "find_shadowed_keys",
    "keys_with_outer_blanks",
    "parse_env",
    "render_env",
    "write_env_file",
]
