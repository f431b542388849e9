"""CDN checks: the distribution exists, is enabled, serves HTTPS only and
reads its S3 origins through an origin access control."""

from collections.abc import Iterator
from typing import Any

from caldron.verify.aws import AwsClients, fetch
from caldron.verify.results import CheckResult, failed, passed
from caldron.verify.targets import StackTargets

HTTPS_ONLY_POLICIES = ("redirect-to-https", "https-only")


def check_cdn(targets: StackTargets, clients: AwsClients) -> Iterator[CheckResult]:
    """Check the distribution named by ``cdn_distribution_id``."""
    cloudfront = clients.cloudfront()
    subject = targets.distribution_id
    response = fetch(cloudfront.get_distribution, "NoSuchDistribution", Id=subject)
    if response is None:
        yield failed("cdn-exists", subject, "distribution does not exist")
        return

    distribution = response["Distribution"]
    config = distribution["DistributionConfig"]
    yield check_domain(subject, distribution, targets.cdn_domain_name)
    yield check_enabled(subject, config)
    yield check_https_only(subject, config)
    yield check_origin_access(cloudfront, subject, config)


def check_domain(subject: str, distribution: dict, domain: str) -> CheckResult:
    """The distribution answers on the exported ``cdn_domain_name``."""
    aliases = distribution["DistributionConfig"].get("Aliases", {}).get("Items") or []
    served = [distribution["DomainName"], *aliases]
    if domain not in served:
        return failed(
            "cdn-exists",
            subject,
            f"distribution serves {', '.join(served)}, not {domain}",
        )
    return passed("cdn-exists", subject, f"distribution serves {domain}")


def check_enabled(subject: str, config: dict) -> CheckResult:
    """The distribution is enabled."""
    if not config.get("Enabled"):
        return failed("cdn-enabled", subject, "distribution is disabled")
    return passed("cdn-enabled", subject, "distribution is enabled")


def check_https_only(subject: str, config: dict) -> CheckResult:
    """Every cache behaviour redirects HTTP to HTTPS or refuses HTTP."""
    behaviors = {"default": config["DefaultCacheBehavior"]}
    for behavior in config.get("CacheBehaviors", {}).get("Items") or []:
        behaviors[behavior["PathPattern"]] = behavior

    plain = [
        f"{path} ({behavior.get('ViewerProtocolPolicy')})"
        for path, behavior in behaviors.items()
        if behavior.get("ViewerProtocolPolicy") not in HTTPS_ONLY_POLICIES
    ]
    if plain:
        return failed(
            "cdn-https", subject, f"plain HTTP allowed by: {', '.join(plain)}"
        )
    return passed("cdn-https", subject, "every cache behavior is HTTPS-only")


def check_origin_access(cloudfront: Any, subject: str, config: dict) -> CheckResult:
    """Every S3 origin signs its requests with an existing origin access
    control (not a legacy origin access identity, not public reads)."""
    origins = [
        origin for origin in config["Origins"].get("Items") or [] if is_s3(origin)
    ]
    if not origins:
        return failed("cdn-origin-access", subject, "distribution has no S3 origin")

    problems = []
    for origin in origins:
        control_id = origin.get("OriginAccessControlId")
        if not control_id:
            problems.append(f"origin {origin['Id']} has no origin access control")
        elif not fetch(
            cloudfront.get_origin_access_control,
            "NoSuchOriginAccessControl",
            Id=control_id,
        ):
            problems.append(
                f"origin {origin['Id']} names missing origin access control "
                f"{control_id}"
            )
    if problems:
        return failed("cdn-origin-access", subject, "; ".join(problems))

    names = ", ".join(origin["Id"] for origin in origins)
    return passed(
        "cdn-origin-access", subject, f"S3 origin(s) {names} use origin access control"
    )


def is_s3(origin: dict) -> bool:
    """Whether ``origin`` is an S3 bucket rather than a custom HTTP server."""
    domain = origin.get("DomainName", "")
    return "S3OriginConfig" in origin or (
        ".s3" in domain and domain.endswith(".amazonaws.com")
    )
