"""AWS clients for verification, held to read-only calls, and the one place
where AWS failures become caldron errors.

Every client carries a hook that refuses any operation whose name does not
start with ``Get``, ``List`` or ``Describe``, so verification cannot change
the account even by mistake. A check that expects "not found" handles that
code itself; every other AWS failure leaves the checks and is translated by
``translate_aws_errors``.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from caldron.errors import (
    CaldronError,
    NotAuthenticatedError,
    PermissionDeniedError,
    UsageError,
)
from caldron.verify.shapes import is_region

logger = logging.getLogger(__name__)

READ_ONLY_PREFIXES = ("Get", "List", "Describe")
AWS_LIBRARY_LOGGERS = ("boto3", "botocore", "s3transfer")
CLOUDFRONT_REGION = "us-east-1"

NOT_AUTHENTICATED_CODES = frozenset(
    {
        "AuthFailure",
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidAccessKeyId",
        "InvalidClientTokenId",
        "InvalidToken",
        "RequestExpired",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
    }
)
PERMISSION_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AuthorizationError",
        "Forbidden",
        "UnauthorizedOperation",
    }
)
THROTTLING_CODES = frozenset(
    {
        "PriorRequestNotComplete",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "ThrottledException",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
    }
)


class ReadOnlyViolation(RuntimeError):
    """Verification code tried an AWS operation that could change the account."""


class AwsUnreachableError(CaldronError):
    """No AWS endpoint answered: the network, a proxy or the region is wrong.
    It shares exit status 4 with an unreachable Vault."""

    exit_code = 4


class AwsClients:
    """Creates and caches boto3 clients for one region, each refusing any
    operation that is not a read."""

    def __init__(self, region: str | None = None, session: Any = None) -> None:
        import boto3
        from botocore.config import Config

        keep_aws_libraries_from_logging_credentials()
        self.session = session or boto3.session.Session()
        self.region = region or self.session.region_name
        if not self.region:
            raise UsageError(
                "no AWS region known for verification",
                hint="pass --region, or set AWS_DEFAULT_REGION or a profile region",
            )
        if not is_region(self.region):
            raise UsageError(
                "the AWS region for verification is not a region name like eu-west-1",
                hint="check --region, AWS_DEFAULT_REGION and the profile's region",
            )
        self.config = Config(retries={"mode": "standard", "max_attempts": 5})
        self.clients: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str | None = None) -> Any:
        """The read-only client for ``service`` in ``region`` (default: ours)."""
        region = region or self.region
        key = (service, region)
        if key not in self.clients:
            client = self.session.client(
                service, region_name=region, config=self.config
            )
            client.meta.events.register("before-parameter-build", refuse_writes)
            self.clients[key] = client
        return self.clients[key]

    def cloudfront(self) -> Any:
        """The CloudFront client; CloudFront is a global service in us-east-1."""
        return self.client("cloudfront", CLOUDFRONT_REGION)


def keep_aws_libraries_from_logging_credentials() -> None:
    """Hold boto3 and botocore at INFO: at DEBUG (``caldron --debug``) they log
    signed requests, session token included."""
    for name in AWS_LIBRARY_LOGGERS:
        library_logger = logging.getLogger(name)
        if library_logger.getEffectiveLevel() < logging.INFO:
            library_logger.setLevel(logging.INFO)


def refuse_writes(model: Any, **kwargs: Any) -> None:
    """botocore ``before-parameter-build`` hook: let only read operations through."""
    service = model.service_model.service_name
    if not model.name.startswith(READ_ONLY_PREFIXES):
        raise ReadOnlyViolation(f"verify refused the write call {service}:{model.name}")
    logger.debug("AWS call %s:%s", service, model.name)


def error_code(error: Exception) -> str:
    """The AWS error code of a botocore ``ClientError`` (empty if none)."""
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


@contextmanager
def translate_aws_errors() -> Iterator[None]:
    """Turn AWS failures raised inside the block into caldron errors."""
    from botocore import exceptions as aws

    try:
        yield
    except aws.ClientError as error:
        raise error_from_client_error(error) from None
    except (aws.NoCredentialsError, aws.PartialCredentialsError):
        raise NotAuthenticatedError(
            "no usable AWS credentials found",
            hint="set AWS_PROFILE (and run `aws sso login`) or AWS_ACCESS_KEY_ID "
            "and AWS_SECRET_ACCESS_KEY",
        ) from None
    except (aws.TokenRetrievalError, aws.CredentialRetrievalError, aws.SSOError):
        raise NotAuthenticatedError(
            "the AWS login could not provide credentials",
            hint="log in again, e.g. `aws sso login`",
        ) from None
    except aws.ProfileNotFound as error:
        raise UsageError(
            f"AWS profile {error.kwargs.get('profile')!r} is not configured",
            hint="check AWS_PROFILE and ~/.aws/config",
        ) from None
    except aws.NoRegionError:
        raise UsageError(
            "no AWS region known for verification",
            hint="pass --region, or set AWS_DEFAULT_REGION",
        ) from None
    except (aws.ConnectionError, aws.HTTPClientError) as error:
        raise AwsUnreachableError(
            f"cannot reach AWS at {describe_endpoint(error)}",
            hint="check the network, the proxy settings and that the region exists",
        ) from None


def describe_endpoint(error: Exception) -> str:
    """The endpoint a connection failure was aimed at, as ``scheme://host``.

    Only the endpoint is shown: never a proxy address, and never the user
    name, password, path or query a URL may carry."""
    url = getattr(error, "kwargs", {}).get("endpoint_url")
    try:
        parts = urlsplit(url) if isinstance(url, str) else None
        port = parts.port if parts else None
    except ValueError:
        parts = None
    if parts is None or not parts.hostname:
        return f"its endpoint ({type(error).__name__})"
    return f"{parts.scheme}://{parts.hostname}{f':{port}' if port else ''}"


def error_from_client_error(error: Any) -> CaldronError:
    """The caldron error for an AWS error response to a read call."""
    code = error_code(error)
    operation = getattr(error, "operation_name", "an AWS call")

    if code in NOT_AUTHENTICATED_CODES:
        return NotAuthenticatedError(
            f"AWS rejected the credentials on {operation} ({code})",
            hint="refresh the credentials or log in again, e.g. `aws sso login`",
        )
    if code in PERMISSION_DENIED_CODES:
        return PermissionDeniedError(
            f"AWS denied {operation} ({code})",
            hint="verify needs read access (Get/List/Describe) to S3, CloudFront, "
            "SES, AWS Backup, CloudWatch and SNS",
        )
    if code in THROTTLING_CODES:
        return CaldronError(
            f"AWS throttled {operation} ({code}) after retries",
            hint="wait a minute and run verify again",
        )
    return CaldronError(
        f"AWS failed {operation} ({code or 'no error code'})",
        hint="rerun with --debug to see the calls made",
    )


def fetch(call: Any, *missing_codes: str, **params: Any) -> Any:
    """Make the read ``call`` with ``params``; return ``None`` when AWS answers
    with one of ``missing_codes`` (the resource or its setting is absent)."""
    from botocore.exceptions import ClientError

    try:
        return call(**params)
    except ClientError as error:
        if error_code(error) in missing_codes:
            return None
        raise
