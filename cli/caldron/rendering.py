"""From template and Vault to the exact text of an environment file.

This is the one path that ``env pull`` and ``run`` share: load the template
and the catalogue, read the environment's secrets, and for ``env pull``
encode them for the consumer and check that they read back exactly.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from caldron.errors import InvalidInputError
from caldron.resolve import Resolution, resolve_template

logger = logging.getLogger(__name__)

DEFAULT_CONSUMER = "python-dotenv"


@dataclass(frozen=True)
class RenderedEnvironment:
    """An environment file's text, ready to be written."""

    environment: str
    consumer: str
    text: str
    resolution: Resolution

    def write(self, path: Path) -> None:
        from caldron.render import write_env_file

        write_env_file(path, self.text)


def resolve_environment(store, environment: str, template_path: Path | None):
    """Read the values that the template draws on for ``environment``."""
    from caldron.catalogue import load_catalogue
    from caldron.template import default_template_path, load_template

    catalogue = load_catalogue()
    template = load_template(template_path or default_template_path(), catalogue)
    store.check_mount()
    return template, resolve_template(store, catalogue, template, environment)


def render_environment(
    store, environment: str, template_path: Path | None, consumer: str | None
) -> RenderedEnvironment:
    """Render the template for ``consumer`` and prove the text reads back."""
    from caldron.render import render_env

    template, resolution = resolve_environment(store, environment, template_path)
    consumer = consumer or template.consumer or DEFAULT_CONSUMER

    text = render_env(resolution.entries, consumer, _header(store, resolution))
    _check_reads_back(text, consumer, resolution)
    return RenderedEnvironment(environment, consumer, text, resolution)


def _header(store, resolution: Resolution) -> list[str]:
    lines = [
        f"Rendered by caldron for environment {resolution.environment}; "
        "do not edit, do not commit.",
        f"Re-render: caldron env pull --env {resolution.environment}",
        f"Vault KV v2 mount '{store.mount}':",
    ]
    lines.extend(f"  {path} version {version}" for path, version in resolution.sources)
    return lines


def _check_reads_back(text: str, consumer: str, resolution: Resolution) -> None:
    from caldron.render import parse_env

    read_back = parse_env(text, consumer)
    if read_back is None:
        return
    expected = dict(resolution.entries)
    wrong = sorted(key for key in expected if read_back.get(key) != expected[key])
    if wrong:
        raise InvalidInputError(
            f"rendered {consumer} file does not read back exactly for: "
            + ", ".join(wrong),
            hint="report this; use --for portable or json meanwhile",
        )
