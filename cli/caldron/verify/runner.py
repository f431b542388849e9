"""Run every verification check of a stack, family by family."""

import logging

from caldron.verify.aws import AwsClients, translate_aws_errors
from caldron.verify.backups import check_backups
from caldron.verify.cdn import check_cdn
from caldron.verify.email import check_email
from caldron.verify.monitoring import check_monitoring
from caldron.verify.results import CheckResult
from caldron.verify.storage import check_storage
from caldron.verify.targets import StackTargets

logger = logging.getLogger(__name__)

CHECK_FAMILIES = (
    check_storage,
    check_cdn,
    check_email,
    check_backups,
    check_monitoring,
)


def run_checks(targets: StackTargets, clients: AwsClients) -> list[CheckResult]:
    """Run all checks against the account behind ``clients``. AWS failures
    other than an expected "not found" stop the run as caldron errors."""
    results: list[CheckResult] = []
    with translate_aws_errors():
        for check_family in CHECK_FAMILIES:
            logger.debug(
                "running %s for stack %s", check_family.__name__, targets.stack
            )
            results.extend(check_family(targets, clients))
    return results
