"""The forms AWS gives its names and identifiers.

verify checks each stack output against its form before any AWS call, so a
malformed output is reported as bad input naming the output, rather than sent
to AWS where it fails as an obscure client error or, worse, reaches a path it
was never meant for (``../../etc`` as a distribution id).
"""

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

REGION_FORM = re.compile(r"[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}")
BUCKET_NAME_FORM = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
BUCKET_NAME_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
BUCKET_NAME_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
DISTRIBUTION_ID_FORM = re.compile(r"[A-Z][A-Z0-9]{1,31}")
DOMAIN_LABEL_FORM = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)
TOPIC_ARN_FORM = re.compile(
    r"arn:aws(-[a-z]+)*:sns:(?P<region>[^:]+):[0-9]{12}:"
    r"([A-Za-z0-9_-]{1,256}|[A-Za-z0-9_-]{1,251}\.fifo)"
)
BACKUP_VAULT_NAME_FORM = re.compile(r"[A-Za-z0-9_-]{2,50}")
BACKUP_ID_FORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")
ALARM_NAME_MAX_LENGTH = 255
DOMAIN_NAME_MAX_LENGTH = 253


@dataclass(frozen=True)
class Shape:
    """A form an output's text must have, described for error messages."""

    matches: Callable[[str], bool]
    description: str


def is_region(text: str) -> bool:
    """Whether ``text`` has the form of an AWS region name (``eu-west-1``,
    ``us-gov-west-1``); whether the region exists is AWS's to say."""
    return REGION_FORM.fullmatch(text) is not None


def is_bucket_name(text: str) -> bool:
    """Whether ``text`` follows the naming rules of general purpose S3 buckets:
    3 to 63 lowercase letters, digits, dots and hyphens, starting and ending
    with a letter or digit, no two dots in a row, not an IP address, and none
    of the prefixes and suffixes AWS reserves."""
    return (
        BUCKET_NAME_FORM.fullmatch(text) is not None
        and ".." not in text
        and not is_ip_address(text)
        and not text.startswith(BUCKET_NAME_RESERVED_PREFIXES)
        and not text.endswith(BUCKET_NAME_RESERVED_SUFFIXES)
    )


def is_distribution_id(text: str) -> bool:
    """Whether ``text`` has the form of a CloudFront distribution id: uppercase
    letters and digits, starting with a letter (``E2QWRUHAPOMQZL``)."""
    return DISTRIBUTION_ID_FORM.fullmatch(text) is not None


def is_domain_name(text: str) -> bool:
    """Whether ``text`` is a DNS name of two or more labels, each 1 to 63
    letters, digits and inner hyphens."""
    labels = text.split(".")
    return (
        len(text) <= DOMAIN_NAME_MAX_LENGTH
        and len(labels) > 1
        and all(DOMAIN_LABEL_FORM.fullmatch(label) for label in labels)
    )


def is_topic_arn(text: str) -> bool:
    """Whether ``text`` is the ARN of an SNS topic
    (``arn:aws:sns:REGION:ACCOUNT:NAME``) in a well-formed region."""
    found = TOPIC_ARN_FORM.fullmatch(text)
    return found is not None and is_region(found["region"])


def is_alarm_name(text: str) -> bool:
    """Whether ``text`` can name a CloudWatch alarm: 1 to 255 characters, none
    of them a control character."""
    return (
        0 < len(text) <= ALARM_NAME_MAX_LENGTH
        and bool(text.strip())
        and all(character.isprintable() for character in text)
    )


def is_backup_vault_name(text: str) -> bool:
    """Whether ``text`` can name an AWS Backup vault: 2 to 50 letters, digits,
    hyphens and underscores."""
    return BACKUP_VAULT_NAME_FORM.fullmatch(text) is not None


def is_backup_id(text: str) -> bool:
    """Whether ``text`` has the form of an AWS Backup plan or selection id:
    up to 64 letters, digits and hyphens, starting with a letter or digit."""
    return BACKUP_ID_FORM.fullmatch(text) is not None


def is_ip_address(text: str) -> bool:
    """Whether ``text`` is an IPv4 address in dotted form."""
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


REGION = Shape(is_region, "an AWS region name like eu-west-1")
BUCKET_NAME = Shape(
    is_bucket_name,
    "an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)",
)
DISTRIBUTION_ID = Shape(
    is_distribution_id, "a CloudFront distribution id (uppercase letters and digits)"
)
DOMAIN_NAME = Shape(is_domain_name, "a domain name like mail.example.com")
TOPIC_ARN = Shape(is_topic_arn, "an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)")
ALARM_NAME = Shape(
    is_alarm_name, "a CloudWatch alarm name (1-255 printable characters)"
)
BACKUP_VAULT_NAME = Shape(
    is_backup_vault_name,
    "an AWS Backup vault name (2-50 letters, digits, hyphens and underscores)",
)
BACKUP_ID = Shape(is_backup_id, "an AWS Backup id (letters, digits and hyphens)")
