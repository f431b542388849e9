"""Email checks: the SES sending identity is verified and signs with DKIM."""

from collections.abc import Iterator

from caldron.verify.aws import AwsClients, fetch
from caldron.verify.results import CheckResult, failed, passed
from caldron.verify.targets import StackTargets


def check_email(targets: StackTargets, clients: AwsClients) -> Iterator[CheckResult]:
    """Check the SES v2 identity named by ``sender_domain``."""
    sesv2 = clients.client("sesv2")
    domain = targets.sender_domain
    identity = fetch(
        sesv2.get_email_identity, "NotFoundException", EmailIdentity=domain
    )
    if identity is None:
        yield failed("ses-identity", domain, "SES identity does not exist")
        return

    if identity.get("VerifiedForSendingStatus"):
        yield passed("ses-identity", domain, "identity is verified for sending")
    else:
        status = identity.get("VerificationStatus", "unknown")
        yield failed(
            "ses-identity",
            domain,
            f"identity is not verified for sending (verification {status})",
        )

    dkim = identity.get("DkimAttributes", {}).get("Status", "unknown")
    if dkim != "SUCCESS":
        yield failed("ses-dkim", domain, f"DKIM status is {dkim}, not SUCCESS")
    else:
        yield passed("ses-dkim", domain, "DKIM signing is verified")
