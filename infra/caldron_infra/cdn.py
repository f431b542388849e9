"""CDN: a CloudFront distribution in front of the private assets bucket.

CloudFront reads the bucket through an origin access control, and the bucket
policy admits that one distribution and nothing else. Viewers are sent to
HTTPS, responses carry security headers, and access logs go to the logs
bucket. A custom domain, when configured, gets its ACM certificate in
us-east-1 (the only region CloudFront takes certificates from) through the
explicit ``edge`` provider.
"""

import pulumi
import pulumi_aws as aws

from caldron_infra.encryption import policy_document
from caldron_infra.settings import Settings
from caldron_infra.storage import Storage, deny_insecure_transport
from caldron_infra.tags import tags_for

CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2"
MINIMUM_TLS_VERSION = "TLSv1.2_2021"
ONE_YEAR_SECONDS = 31_536_000


class Cdn(pulumi.ComponentResource):
    """The assets distribution, its access control and its logging."""

    distribution: aws.cloudfront.Distribution

    def __init__(
        self,
        name: str,
        settings: Settings,
        storage: Storage,
        edge: aws.Provider,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("caldron:cdn:Cdn", name, None, opts)
        self.settings = settings
        self.edge = edge
        tags = tags_for(settings)

        access_control = aws.cloudfront.OriginAccessControl(
            "assets",
            name=f"caldron-{settings.environment}-assets",
            description="CloudFront reads the private assets bucket",
            origin_access_control_origin_type="s3",
            signing_behavior="always",
            signing_protocol="sigv4",
            opts=self._child(),
        )
        headers = self._create_security_headers_policy()
        certificate = self._create_certificate() if settings.cdn.custom_domain else None

        self.distribution = aws.cloudfront.Distribution(
            "assets",
            enabled=True,
            comment=f"caldron {settings.environment} static assets",
            is_ipv6_enabled=True,
            http_version="http2and3",
            price_class=settings.cdn.price_class,
            aliases=[settings.cdn.custom_domain] if certificate else None,
            origins=[
                {
                    "origin_id": "assets",
                    "domain_name": storage.assets.bucket_regional_domain_name,
                    "origin_access_control_id": access_control.id,
                }
            ],
            default_cache_behavior={
                "target_origin_id": "assets",
                "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": ["GET", "HEAD", "OPTIONS"],
                "cached_methods": ["GET", "HEAD"],
                "cache_policy_id": CACHING_OPTIMIZED_POLICY_ID,
                "response_headers_policy_id": headers.id,
                "compress": True,
            },
            restrictions={"geo_restriction": {"restriction_type": "none"}},
            viewer_certificate=_viewer_certificate(certificate),
            tags=tags,
            opts=self._child(),
        )

        self._admit_only_this_distribution(storage)
        self._send_access_logs_to(storage.logs)
        if certificate is not None:
            self._point_custom_domain_at_distribution()

        self.register_outputs(
            {
                "domain_name": self.distribution.domain_name,
                "distribution_id": self.distribution.id,
            }
        )

    @property
    def public_domain_name(self) -> pulumi.Output[str]:
        """The name browsers use: the custom domain, else CloudFront's own."""
        if self.settings.cdn.custom_domain:
            return pulumi.Output.from_input(self.settings.cdn.custom_domain)
        return self.distribution.domain_name

    def _child(
        self, parent: pulumi.Resource | None = None, **extra
    ) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=parent or self, **extra)

    def _create_security_headers_policy(self) -> aws.cloudfront.ResponseHeadersPolicy:
        return aws.cloudfront.ResponseHeadersPolicy(
            "security-headers",
            name=f"caldron-{self.settings.environment}-security-headers",
            comment="HSTS, no sniffing, no framing, strict referrer",
            security_headers_config={
                "strict_transport_security": {
                    "access_control_max_age_sec": ONE_YEAR_SECONDS,
                    "include_subdomains": True,
                    "preload": True,
                    "override": True,
                },
                "content_type_options": {"override": True},
                "frame_options": {"frame_option": "DENY", "override": True},
                "referrer_policy": {
                    "referrer_policy": "strict-origin-when-cross-origin",
                    "override": True,
                },
                "xss_protection": {
                    "protection": True,
                    "mode_block": True,
                    "override": True,
                },
            },
            opts=self._child(),
        )

    def _create_certificate(self) -> aws.acm.CertificateValidation:
        domain = self.settings.cdn.custom_domain
        on_edge = self._child(provider=self.edge)
        certificate = aws.acm.Certificate(
            "assets",
            domain_name=domain,
            validation_method="DNS",
            key_algorithm="EC_prime256v1",
            tags=tags_for(self.settings),
            opts=on_edge,
        )
        option = certificate.domain_validation_options[0]
        record = aws.route53.Record(
            "assets-certificate-validation",
            zone_id=self.settings.route53_zone_id,
            name=option.resource_record_name,
            type=option.resource_record_type,
            records=[option.resource_record_value],
            ttl=300,
            allow_overwrite=True,
            opts=self._child(),
        )
        return aws.acm.CertificateValidation(
            "assets",
            certificate_arn=certificate.arn,
            validation_record_fqdns=[record.fqdn],
            opts=on_edge,
        )

    def _admit_only_this_distribution(self, storage: Storage) -> None:
        assets_arn = storage.assets.arn
        aws.s3.BucketPolicy(
            "assets",
            bucket=storage.assets.id,
            policy=policy_document(
                deny_insecure_transport(assets_arn),
                {
                    "Sid": "CloudFrontReadsAssets",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                    "Action": "s3:GetObject",
                    "Resource": pulumi.Output.concat(assets_arn, "/*"),
                    "Condition": {
                        "StringEquals": {"AWS:SourceArn": self.distribution.arn}
                    },
                },
            ),
            opts=self._child(),
        )

    def _send_access_logs_to(self, logs: aws.s3.Bucket) -> None:
        on_edge = self._child(provider=self.edge)
        name = f"caldron-{self.settings.environment}-cdn"
        tags = tags_for(self.settings)
        source = aws.cloudwatch.LogDeliverySource(
            "cdn-access-logs",
            name=name,
            log_type="ACCESS_LOGS",
            resource_arn=self.distribution.arn,
            tags=tags,
            opts=on_edge,
        )
        destination = aws.cloudwatch.LogDeliveryDestination(
            "cdn-access-logs",
            name=name,
            output_format="parquet",
            delivery_destination_configuration={
                "destination_resource_arn": pulumi.Output.concat(
                    logs.arn, "/cloudfront"
                )
            },
            tags=tags,
            opts=on_edge,
        )
        aws.cloudwatch.LogDelivery(
            "cdn-access-logs",
            delivery_source_name=source.name,
            delivery_destination_arn=destination.arn,
            tags=tags,
            opts=on_edge,
        )

    def _point_custom_domain_at_distribution(self) -> None:
        for record_type in ("A", "AAAA"):
            aws.route53.Record(
                f"assets-{record_type.lower()}",
                zone_id=self.settings.route53_zone_id,
                name=self.settings.cdn.custom_domain,
                type=record_type,
                aliases=[
                    {
                        "name": self.distribution.domain_name,
                        "zone_id": CLOUDFRONT_HOSTED_ZONE_ID,
                        "evaluate_target_health": False,
                    }
                ],
                opts=self._child(),
            )


def _viewer_certificate(certificate: aws.acm.CertificateValidation | None) -> dict:
    if certificate is None:
        return {"cloudfront_default_certificate": True}
    return {
        "acm_certificate_arn": certificate.certificate_arn,
        "ssl_support_method": "sni-only",
        "minimum_protocol_version": MINIMUM_TLS_VERSION,
    }
