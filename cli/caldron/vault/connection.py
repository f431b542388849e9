"""One pooled HTTP connection to Vault, with a bounded retry policy.

Every request goes through one ``requests`` session whose adapter keeps a
pool of kept-alive connections (shared by the threads of a concurrent read)
and retries what is safe to retry:

- a connection that could not be opened, for any method (nothing was sent);
- a reading request (GET, HEAD, LIST, OPTIONS) that failed while reading, or
  that got 429, 500, 502, 503 or 504, with exponential backoff.

A sealed server (503 whose errors say "sealed") is answered at once: waiting
does not unseal it. Writes are never repeated, so a check-and-set write is
sent exactly once.
"""

import logging
import time

import hvac
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from caldron.errors import NotAuthenticatedError
from caldron.vault.settings import VaultSettings

logger = logging.getLogger(__name__)

RETRIED_METHODS = frozenset({"GET", "HEAD", "LIST", "OPTIONS"})
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRIES = 3
BACKOFF_SECONDS = 0.1
MAX_BACKOFF_SECONDS = 2.0
POOL_SIZE = 16
TIMEOUT_SECONDS = (5, 30)


class RetryingAdapter(HTTPAdapter):
    """An HTTP adapter that retries failed connections and transient answers."""

    def __init__(
        self,
        *,
        retries: int = MAX_RETRIES,
        backoff: float = BACKOFF_SECONDS,
        pool_size: int = POOL_SIZE,
    ) -> None:
        self.retries = retries
        self.backoff = backoff
        connection_retries = Retry(
            total=None,
            connect=retries,
            read=retries,
            status=0,
            other=0,
            redirect=5,
            allowed_methods=RETRIED_METHODS,
            backoff_factor=backoff,
            backoff_max=MAX_BACKOFF_SECONDS,
            raise_on_status=False,
        )
        super().__init__(
            pool_connections=1, pool_maxsize=pool_size, max_retries=connection_retries
        )

    def send(self, request, **kwargs) -> requests.Response:
        """Send ``request``, repeating it while its answer is worth waiting out."""
        attempt = 0
        while True:
            response = super().send(request, **kwargs)
            if attempt >= self.retries or not is_transient(request.method, response):
                return response

            attempt += 1
            delay = self.delay_before(attempt, response)
            logger.debug(
                "Vault answered %s to %s; retry %d of %d in %.2fs",
                response.status_code,
                request.method,
                attempt,
                self.retries,
                delay,
            )
            response.close()
            time.sleep(delay)

    def delay_before(self, attempt: int, response: requests.Response) -> float:
        """Return the wait before retry number ``attempt`` (from 1)."""
        delay = self.backoff * 2 ** (attempt - 1)
        retry_after = response.headers.get("Retry-After", "")
        if retry_after.isdigit():
            delay = max(delay, int(retry_after))
        return min(delay, MAX_BACKOFF_SECONDS)


def is_transient(method: str | None, response: requests.Response) -> bool:
    """Tell whether an answer to ``method`` may change if asked again."""
    if (method or "").upper() not in RETRIED_METHODS:
        return False
    if response.status_code not in RETRIED_STATUSES:
        return False
    return not (response.status_code == 503 and reports_sealed(response))


def reports_sealed(response: requests.Response) -> bool:
    """Tell whether a 503 answer says that Vault is sealed."""
    return b"sealed" in response.content.lower()


def open_session(settings: VaultSettings) -> requests.Session:
    """Return a session to Vault with the retrying, pooled adapter mounted."""
    session = requests.Session()
    session.verify = settings.verify
    session.cert = settings.client_cert
    adapter = RetryingAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def open_client(settings: VaultSettings, *, require_token: bool = True) -> hvac.Client:
    """Return an hvac client for ``settings`` over a fresh pooled session.

    Raises ``NotAuthenticatedError`` when a token is required and none is
    configured, before any request is sent.
    """
    if require_token and not settings.token:
        raise NotAuthenticatedError(
            f"no Vault token for {settings.address}",
            hint="set VAULT_TOKEN, write ~/.vault-token, or run `caldron login`",
        )
    return hvac.Client(
        url=settings.address,
        token=settings.token or "",
        namespace=settings.namespace,
        verify=settings.verify,
        cert=settings.client_cert,
        timeout=TIMEOUT_SECONDS,
        session=open_session(settings),
    )
