"""Keeping a Vault token alive while a long child process runs.

``TokenRenewer`` wraps the child's run: a background thread renews a
renewable token once two thirds of its remaining lifetime have passed. When
the token cannot be renewed (not renewable, refused, or capped by its maximum
lifetime, seen as a renewal granting less than the token's original ttl), it
says so in one line through ``warn`` and stops renewing; the child keeps
running either way.
"""

import logging
import sys
import threading
from collections.abc import Callable

from caldron.auth.whoami import describe_token, format_duration
from caldron.errors import CaldronError
from caldron.vault.errors import translate_vault_errors

logger = logging.getLogger(__name__)

RENEW_AT_FRACTION = 2 / 3
LOGIN_HINT = "run `caldron login` for a new token"


def warn_on_stderr(message: str) -> None:
    """Write one line to standard error (the default ``warn``)."""
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


class TokenRenewer:
    """Renew the token of ``client`` in the background while in a ``with``."""

    def __init__(
        self,
        client,
        *,
        warn: Callable[[str], None] = warn_on_stderr,
        fraction: float = RENEW_AT_FRACTION,
    ) -> None:
        self.client = client
        self.warn = warn
        self.fraction = fraction
        self.renewals = 0
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._keep_alive, name="caldron-token-renewal", daemon=True
        )

    def __enter__(self) -> "TokenRenewer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)

    def _keep_alive(self) -> None:
        try:
            self._renew_until_stopped()
        except CaldronError as error:
            self.warn(f"caldron: cannot renew the Vault token: {error}; {LOGIN_HINT}")

    def _renew_until_stopped(self) -> None:
        info = describe_token(self.client)
        if not info.expires:
            return
        if not info.renewable:
            self.warn(
                "caldron: the Vault token is not renewable and expires in "
                f"{format_duration(info.ttl)}; {LOGIN_HINT} if the command "
                "runs longer"
            )
            return

        full_lifetime = info.creation_ttl or info.ttl
        remaining = info.ttl
        while not self._stopped.wait(remaining * self.fraction):
            with translate_vault_errors("auth/token/renew-self"):
                response = self.client.auth.token.renew_self()
            remaining = int(response["auth"]["lease_duration"])
            self.renewals += 1
            logger.debug("caldron: token renewed for %d s", remaining)
            if remaining < full_lifetime:
                self.warn(
                    "caldron: the Vault token reached its maximum lifetime and "
                    f"expires in {format_duration(remaining)}; {LOGIN_HINT}"
                )
                return
