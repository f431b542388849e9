"""The one exception hierarchy of caldron.

Every failure a user can cause or meet is a ``CaldronError``; its class fixes
the exit code, and ``caldron.main`` is the one place that turns it into a
message and an exit status. A message names what went wrong (a key, a path,
an environment) and what to do next. It never holds a secret value.
"""


class CaldronError(Exception):
    """Base of every expected failure; ``exit_code`` is the process status."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class UsageError(CaldronError):
    """The command was called wrongly: an option, an argument, a name."""

    exit_code = 2


class InvalidInputError(CaldronError):
    """A catalogue, template, source file or value is not acceptable."""

    exit_code = 3


class VaultUnreachableError(CaldronError):
    """No Vault answered at the configured address."""

    exit_code = 4


class NotAuthenticatedError(CaldronError):
    """No token, or a token that is invalid or has expired."""

    exit_code = 5


class ConflictError(CaldronError):
    """A check-and-set write lost to another writer."""

    exit_code = 6


class PermissionDeniedError(CaldronError):
    """The token is valid but its policies do not allow the request."""

    exit_code = 7


class NotFoundError(CaldronError):
    """A Vault path, a version or a mount does not exist."""

    exit_code = 8


class VaultSealedError(CaldronError):
    """Vault answered, but it is sealed or not ready to serve."""

    exit_code = 9


class CheckFailedError(CaldronError):
    """A check ran and found problems (policy, verification or scan findings)."""

    exit_code = 10


class CommandNotFoundError(CaldronError):
    """``caldron run`` could not start the command (127, as POSIX shells do)."""

    exit_code = 127
