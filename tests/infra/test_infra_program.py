"""The Pulumi program, run offline for every real stack, as the language host
runs it: the resource graph, the per-environment settings and every output."""

import json

import pytest

from caldron.infra_check.mocks import (
    ACCOUNT_ID,
    FAKE_SMTP_PASSWORD,
    PROVIDER_TYPE,
    RESOURCE_KINDS,
)

STACKS = ("dev", "staging", "prod")
BUCKET = "aws:s3/bucket:Bucket"
REGION = "eu-west-1"


def only(run, resource_type, name=None):
    """The one resource of a type (and name) in a run."""
    found = [r for r in run.of_type(resource_type) if name is None or r.name == name]
    assert len(found) == 1, f"expected one {resource_type} {name or ''}, got {found}"
    return found[0]


def buckets(run):
    return {b.name: b for b in run.of_type(BUCKET)}


@pytest.mark.parametrize(
    ("stack", "domain", "cdn_domain"),
    [
        ("dev", "dev.caldronflex.example", None),
        (
            "staging",
            "staging.caldronflex.example",
            "assets.staging.caldronflex.example",
        ),
        ("prod", "caldronflex.example", "assets.caldronflex.example"),
    ],
)
def test_every_documented_output_has_its_value(stack_runs, stack, domain, cdn_domain):
    run = stack_runs(stack)
    out = run.outputs
    by_name = buckets(run)
    distribution = only(run, "aws:cloudfront/distribution:Distribution")
    access_key = only(run, "aws:iam/accessKey:AccessKey")

    assert out["environment"] == stack
    assert out["storage_bucket_name"] == by_name["uploads"].props["bucket"]
    assert out["storage_bucket_region"] == REGION
    assert out["assets_bucket_name"] == by_name["assets"].props["bucket"]
    assert out["logs_bucket_name"] == by_name["logs"].props["bucket"]
    assert out["cdn_domain_name"] == (cdn_domain or distribution.props["domainName"])
    assert out["cdn_distribution_id"] == distribution.props["id"]
    assert out["smtp_host"] == f"email-smtp.{REGION}.amazonaws.com"
    assert out["smtp_port"] == 587
    assert isinstance(out["smtp_port"], int)
    assert out["smtp_username"] == access_key.props["id"]
    assert out["smtp_password"] == FAKE_SMTP_PASSWORD
    assert out["sender_domain"] == domain
    assert out["ses_configuration_set_name"] == f"caldron-{stack}"
    assert out["alerts_topic_arn"] == (
        f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:caldron-{stack}-alerts"
    )
    assert out["alarm_names"] == [
        f"caldron-{stack}-cdn-5xx-error-rate",
        f"caldron-{stack}-ses-bounce-rate",
        f"caldron-{stack}-ses-complaint-rate",
    ]
    assert out["backup_vault_name"] == f"caldron-{stack}-primary"
    assert out["backup_plan_id"] == only(run, "aws:backup/plan:Plan").props["id"]
    assert (
        out["backup_selection_id"]
        == (only(run, "aws:backup/selection:Selection").props["id"])
    )


@pytest.mark.parametrize("stack", STACKS)
def test_only_the_smtp_password_is_secret(stack_runs, stack):
    assert stack_runs(stack).secret_outputs == {"smtp_password"}


@pytest.mark.parametrize(
    ("stack", "dmarc"),
    [("dev", "none"), ("staging", "quarantine"), ("prod", "reject")],
)
def test_email_dns_records_cover_dkim_mail_from_and_dmarc(stack_runs, stack, dmarc):
    run = stack_runs(stack)
    domain = run.outputs["sender_domain"]
    tokens = only(run, "aws:sesv2/emailIdentity:EmailIdentity").props[
        "dkimSigningAttributes"
    ]["tokens"]
    expected = [
        {
            "name": f"{t}._domainkey.{domain}",
            "type": "CNAME",
            "value": f"{t}.dkim.amazonses.com",
        }
        for t in tokens
    ] + [
        {
            "name": f"mail.{domain}",
            "type": "MX",
            "value": f"10 feedback-smtp.{REGION}.amazonses.com",
        },
        {
            "name": f"mail.{domain}",
            "type": "TXT",
            "value": "v=spf1 include:amazonses.com ~all",
        },
        {
            "name": f"_dmarc.{domain}",
            "type": "TXT",
            "value": f"v=DMARC1; p={dmarc}; rua=mailto:dmarc-reports@{domain}",
        },
    ]
    assert len(tokens) == 3
    assert run.outputs["email_dns_records"] == expected


@pytest.mark.parametrize(
    ("stack", "published"), [("dev", 0), ("staging", 6), ("prod", 6)]
)
def test_email_records_are_created_only_with_a_route53_zone(
    stack_runs, stack, published
):
    run = stack_runs(stack)
    created = [
        r for r in run.of_type("aws:route53/record:Record") if r.family == "email"
    ]
    assert len(created) == published
    published_names = sorted(r.props["name"] for r in created)
    expected = sorted(d["name"] for d in run.outputs["email_dns_records"])
    assert published_names == (expected if published else [])


@pytest.mark.parametrize("stack", STACKS)
def test_no_registered_type_is_a_v6_alias_or_unknown(stack_runs, stack):
    types = {r.resource_type for r in stack_runs(stack).resources}
    assert not [t for t in types if t.endswith("V2")]
    assert {t for t in types if not t.startswith("caldron:")} <= set(RESOURCE_KINDS)
    assert {t for t in types if t.startswith("caldron:")} == {
        "caldron:storage:Storage",
        "caldron:cdn:Cdn",
        "caldron:email:Email",
        "caldron:backups:Backups",
        "caldron:monitoring:Monitoring",
    }


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(
    "side_type",
    [
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketServerSideEncryptionConfiguration:"
        "BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    ],
)
def test_each_bucket_has_its_own_side_resource_referencing_its_id(
    stack_runs, stack, side_type
):
    run = stack_runs(stack)
    for name, bucket in buckets(run).items():
        side = only(run, side_type, name)
        assert side.props["bucket"] == bucket.props["id"]
        assert [d.urn for d in side.property_dependencies["bucket"]] == [bucket.urn]


@pytest.mark.parametrize("stack", STACKS)
def test_buckets_are_private_owner_enforced_and_versioned(stack_runs, stack):
    run = stack_runs(stack)
    for name in ("uploads", "assets", "logs"):
        block = only(
            run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name
        )
        assert [
            block.props[f]
            for f in (
                "blockPublicAcls",
                "blockPublicPolicy",
                "ignorePublicAcls",
                "restrictPublicBuckets",
            )
        ] == [True, True, True, True]
        ownership = only(
            run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", name
        )
        assert ownership.props["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
        versioning = only(run, "aws:s3/bucketVersioning:BucketVersioning", name)
        assert versioning.props["versioningConfiguration"] == {"status": "Enabled"}


@pytest.mark.parametrize(
    ("stack", "noncurrent_days", "log_days"),
    [("dev", 7, 14), ("staging", 30, 30), ("prod", 90, 365)],
)
def test_lifecycle_forgets_old_versions_and_unfinished_uploads(
    stack_runs, stack, noncurrent_days, log_days
):
    run = stack_runs(stack)
    for name in ("uploads", "assets", "logs"):
        rules = {
            rule["id"]: rule
            for rule in only(
                run,
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                name,
            ).props["rules"]
        }
        assert rules["expire-old-versions"]["noncurrentVersionExpiration"] == {
            "noncurrentDays": noncurrent_days
        }
        assert rules["abort-unfinished-uploads"]["abortIncompleteMultipartUpload"] == {
            "daysAfterInitiation": 7
        }
        expiry = rules.get("expire-current-objects", {}).get("expiration")
        assert expiry == ({"days": log_days} if name == "logs" else None)


@pytest.mark.parametrize(
    ("stack", "uploads_algorithm"),
    [("dev", "AES256"), ("staging", "AES256"), ("prod", "aws:kms")],
)
def test_bucket_encryption_uses_a_kms_key_only_in_prod(
    stack_runs, stack, uploads_algorithm
):
    run = stack_runs(stack)
    storage_keys = [k for k in run.of_type("aws:kms/key:Key") if k.family == "storage"]
    assert len(storage_keys) == (1 if stack == "prod" else 0)
    for name, algorithm in (
        ("uploads", uploads_algorithm),
        ("assets", uploads_algorithm),
        ("logs", "AES256"),
    ):
        config = only(
            run,
            "aws:s3/bucketServerSideEncryptionConfiguration:"
            "BucketServerSideEncryptionConfiguration",
            name,
        )
        default = config.props["rules"][0]["applyServerSideEncryptionByDefault"]
        assert default["sseAlgorithm"] == algorithm
        if algorithm == "aws:kms":
            assert default["kmsMasterKeyId"] == storage_keys[0].props["arn"]


@pytest.mark.parametrize(
    ("stack", "logged"),
    [("dev", []), ("staging", ["assets", "uploads"]), ("prod", ["assets", "uploads"])],
)
def test_access_logging_goes_to_the_logs_bucket_in_staging_and_prod(
    stack_runs, stack, logged
):
    run = stack_runs(stack)
    logs_id = buckets(run)["logs"].props["id"]
    logging = run.of_type("aws:s3/bucketLogging:BucketLogging")
    assert sorted(r.name for r in logging) == logged
    for resource in logging:
        assert resource.props["targetBucket"] == logs_id
        assert resource.props["targetPrefix"] == f"s3/{resource.name}/"


@pytest.mark.parametrize("stack", STACKS)
def test_uploads_accept_browser_uploads_from_configured_origins(
    stack_runs, stack_document, stack
):
    run = stack_runs(stack)
    origins = stack_document(stack)["config"]["caldron:storage"]["corsOrigins"]
    cors = only(
        run, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "uploads"
    )
    rule = cors.props["corsRules"][0]
    assert rule["allowedOrigins"] == origins
    assert set(rule["allowedMethods"]) == {"GET", "PUT", "POST", "HEAD"}


@pytest.mark.parametrize(
    ("stack", "price_class", "custom_domain"),
    [
        ("dev", "PriceClass_100", None),
        ("staging", "PriceClass_100", "assets.staging.caldronflex.example"),
        ("prod", "PriceClass_All", "assets.caldronflex.example"),
    ],
)
def test_cdn_serves_the_assets_bucket_over_https(
    stack_runs, stack, price_class, custom_domain
):
    run = stack_runs(stack)
    distribution = only(run, "aws:cloudfront/distribution:Distribution").props
    assets = buckets(run)["assets"].props
    access_control = only(run, "aws:cloudfront/originAccessControl:OriginAccessControl")
    headers = only(run, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy")

    [origin] = distribution["origins"]
    assert origin["domainName"] == assets["bucketRegionalDomainName"]
    assert origin["domainName"] == f"{assets['bucket']}.s3.{REGION}.amazonaws.com"
    assert origin["originAccessControlId"] == access_control.props["id"]
    behavior = distribution["defaultCacheBehavior"]
    assert behavior["viewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["cachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"
    assert behavior["responseHeadersPolicyId"] == headers.props["id"]
    hsts = headers.props["securityHeadersConfig"]["strictTransportSecurity"]
    assert hsts["accessControlMaxAgeSec"] == 31_536_000
    assert distribution["priceClass"] == price_class
    assert distribution.get("aliases") == ([custom_domain] if custom_domain else None)


@pytest.mark.parametrize(
    ("stack", "custom_domain"),
    [
        ("staging", "assets.staging.caldronflex.example"),
        ("prod", "assets.caldronflex.example"),
    ],
)
def test_custom_domain_certificate_lives_in_us_east_1(stack_runs, stack, custom_domain):
    run = stack_runs(stack)
    certificate = only(run, "aws:acm/certificate:Certificate").props
    viewer = only(run, "aws:cloudfront/distribution:Distribution").props[
        "viewerCertificate"
    ]
    assert certificate["domainName"] == custom_domain
    assert certificate["arn"].startswith(f"arn:aws:acm:us-east-1:{ACCOUNT_ID}:")
    assert viewer == {
        "acmCertificateArn": certificate["arn"],
        "sslSupportMethod": "sni-only",
        "minimumProtocolVersion": "TLSv1.2_2021",
    }


def test_dev_uses_cloudfront_default_certificate(stack_runs):
    run = stack_runs("dev")
    assert run.of_type("aws:acm/certificate:Certificate") == []
    viewer = only(run, "aws:cloudfront/distribution:Distribution").props[
        "viewerCertificate"
    ]
    assert viewer == {"cloudfrontDefaultCertificate": True}


@pytest.mark.parametrize("stack", STACKS)
def test_assets_bucket_admits_only_this_distribution(stack_runs, stack):
    run = stack_runs(stack)
    distribution_arn = only(run, "aws:cloudfront/distribution:Distribution").props[
        "arn"
    ]
    assets = buckets(run)["assets"].props
    policy = json.loads(
        only(run, "aws:s3/bucketPolicy:BucketPolicy", "assets").props["policy"]
    )
    statements = {s["Sid"]: s for s in policy["Statement"]}
    assert statements["CloudFrontReadsAssets"] == {
        "Sid": "CloudFrontReadsAssets",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": f"{assets['arn']}/*",
        "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
    }
    assert statements["DenyInsecureTransport"]["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }


@pytest.mark.parametrize("stack", STACKS)
def test_every_bucket_policy_denies_plain_http(stack_runs, stack):
    run = stack_runs(stack)
    arns = {name: b.props["arn"] for name, b in buckets(run).items()}
    policies = {
        p.name: json.loads(p.props["policy"])
        for p in run.of_type("aws:s3/bucketPolicy:BucketPolicy")
    }
    assert sorted(policies) == ["assets", "logs", "uploads"]
    for name, policy in policies.items():
        deny = next(
            s for s in policy["Statement"] if s["Sid"] == "DenyInsecureTransport"
        )
        assert deny["Effect"] == "Deny"
        assert deny["Resource"] == [arns[name], f"{arns[name]}/*"]


@pytest.mark.parametrize("stack", STACKS)
def test_rendered_policies_hold_the_account_id_and_never_none(stack_runs, stack):
    run = stack_runs(stack)
    documents = [
        (r.resource_type, r.name, r.props[key])
        for r in run.custom_resources
        for key in ("policy", "assumeRolePolicy")
        if isinstance(r.props.get(key), str)
    ]
    assert len(documents) >= 8
    for resource_type, name, document in documents:
        assert "None" not in document, f"{resource_type} {name} renders None"
        json.loads(document)
    key_policies = [d for t, _, d in documents if t == "aws:kms/key:Key"]
    assert key_policies
    for document in key_policies:
        assert f"arn:aws:iam::{ACCOUNT_ID}:root" in document


@pytest.mark.parametrize("stack", STACKS)
def test_every_taggable_resource_carries_the_standard_tags(stack_runs, stack):
    run = stack_runs(stack)
    taggable = [
        r for r in run.custom_resources if RESOURCE_KINDS[r.resource_type].taggable
    ]
    assert len(taggable) >= 20
    for resource in taggable:
        tags = resource.props.get("tags") or {}
        assert {k: tags.get(k) for k in ("environment", "project", "owner")} == {
            "environment": stack,
            "project": "caldron",
            "owner": "platform-team",
        }, f"{resource.resource_type} {resource.name}"
    for provider in run.of_type(PROVIDER_TYPE):
        default_tags = json.loads(
            provider.props["defaultTags"]
        )  # provider config is text
        assert default_tags["tags"]["environment"] == stack


@pytest.mark.parametrize("stack", STACKS)
def test_only_the_uploads_bucket_is_tagged_for_backup(stack_runs, stack):
    run = stack_runs(stack)
    tagged = sorted(
        r.name
        for r in run.custom_resources
        if (r.props.get("tags") or {}).get("caldron:backup") == "true"
    )
    assert tagged == ["uploads"]


@pytest.mark.parametrize("stack", STACKS)
def test_every_aws_resource_belongs_to_a_family_component(stack_runs, stack):
    run = stack_runs(stack)
    strays = [
        r.urn
        for r in run.custom_resources
        if r.resource_type != PROVIDER_TYPE and r.family == "program"
    ]
    assert strays == []
    assert sorted(p.props["region"] for p in run.of_type(PROVIDER_TYPE)) == [
        REGION,
        "us-east-1",
    ]


def rules_of(run):
    return {r["ruleName"]: r for r in only(run, "aws:backup/plan:Plan").props["rules"]}


@pytest.mark.parametrize(("stack", "daily_days"), [("dev", 7), ("staging", 14)])
def test_dev_and_staging_keep_short_daily_backups_only(stack_runs, stack, daily_days):
    run = stack_runs(stack)
    rules = rules_of(run)
    assert list(rules) == ["daily"]
    assert rules["daily"]["lifecycle"] == {"deleteAfter": daily_days}
    assert "copyActions" not in rules["daily"]
    assert [v.name for v in run.of_type("aws:backup/vault:Vault")] == ["primary"]
    assert run.of_type("aws:backup/vaultLockConfiguration:VaultLockConfiguration") == []


def test_prod_backups_go_cold_are_copied_and_locked(stack_runs):
    run = stack_runs("prod")
    rules = rules_of(run)
    vaults = {v.name: v.props for v in run.of_type("aws:backup/vault:Vault")}
    copy_arn = (
        f"arn:aws:backup:eu-central-1:{ACCOUNT_ID}:backup-vault:caldron-prod-copy"
    )

    assert sorted(rules) == ["daily", "monthly"]
    assert rules["daily"]["lifecycle"] == {"deleteAfter": 35}
    assert rules["monthly"]["lifecycle"] == {
        "deleteAfter": 365,
        "coldStorageAfter": 90,
        "optInToArchiveForSupportedResources": True,
    }
    for rule in rules.values():
        assert rule["targetVaultName"] == "caldron-prod-primary"
        assert [c["destinationVaultArn"] for c in rule["copyActions"]] == [copy_arn]
    assert vaults["copy"]["region"] == "eu-central-1"
    assert vaults["copy"]["arn"] == copy_arn
    assert vaults["primary"]["arn"].split(":")[3] == REGION

    locks = run.of_type("aws:backup/vaultLockConfiguration:VaultLockConfiguration")
    assert sorted((lock.name, lock.props["backupVaultName"]) for lock in locks) == [
        ("copy", "caldron-prod-copy"),
        ("primary", "caldron-prod-primary"),
    ]
    for lock in locks:
        assert lock.props["minRetentionDays"] == 35
        assert lock.props["maxRetentionDays"] == 365
        assert "changeableForDays" not in lock.props  # governance mode


@pytest.mark.parametrize("stack", STACKS)
def test_backup_selection_picks_tagged_resources_with_its_role(stack_runs, stack):
    run = stack_runs(stack)
    selection = only(run, "aws:backup/selection:Selection").props
    role = only(run, "aws:iam/role:Role", "backup").props
    attachments = run.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")

    assert selection["planId"] == only(run, "aws:backup/plan:Plan").props["id"]
    assert selection["iamRoleArn"] == role["arn"]
    assert selection["selectionTags"] == [
        {"type": "STRINGEQUALS", "key": "caldron:backup", "value": "true"}
    ]
    assert "backup.amazonaws.com" in role["assumeRolePolicy"]
    assert {a.props["role"] for a in attachments} == {role["name"]}
    assert len(attachments) == 4
    for vault in run.of_type("aws:backup/vault:Vault"):
        key_arns = {k.props["arn"] for k in run.of_type("aws:kms/key:Key")}
        assert vault.props["kmsKeyArn"] in key_arns


@pytest.mark.parametrize(
    ("stack", "recipients", "thresholds"),
    [
        (
            "dev",
            1,
            {
                "cdn-5xx-error-rate": 10,
                "ses-bounce-rate": 0.05,
                "ses-complaint-rate": 0.001,
            },
        ),
        (
            "prod",
            2,
            {
                "cdn-5xx-error-rate": 2,
                "ses-bounce-rate": 0.04,
                "ses-complaint-rate": 0.0008,
            },
        ),
    ],
)
def test_alarms_notify_an_encrypted_subscribed_topic_in_their_region(
    stack_runs, stack, recipients, thresholds
):
    run = stack_runs(stack)
    topics = {t.name: t.props for t in run.of_type("aws:sns/topic:Topic")}
    alarms = {
        a.name: a.props for a in run.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    }
    subscriptions = run.of_type("aws:sns/topicSubscription:TopicSubscription")

    assert {name: a["threshold"] for name, a in alarms.items()} == thresholds
    assert alarms["cdn-5xx-error-rate"]["alarmActions"] == [
        topics["alerts-edge"]["arn"]
    ]
    assert topics["alerts-edge"]["arn"].split(":")[3] == "us-east-1"
    assert alarms["cdn-5xx-error-rate"]["dimensions"] == {
        "DistributionId": run.outputs["cdn_distribution_id"],
        "Region": "Global",
    }
    for name in ("ses-bounce-rate", "ses-complaint-rate"):
        assert alarms[name]["alarmActions"] == [run.outputs["alerts_topic_arn"]]
        assert alarms[name]["namespace"] == "AWS/SES"
    for topic in topics.values():
        assert topic["kmsMasterKeyId"].startswith("arn:aws:kms:")
    for label in ("alerts", "alerts-edge"):
        subscribed = [
            s for s in subscriptions if s.props["topic"] == topics[label]["arn"]
        ]
        assert len(subscribed) == recipients
        assert {s.props["protocol"] for s in subscribed} == {"email"}


@pytest.mark.parametrize(
    ("stack", "limit"), [("dev", "150.00"), ("staging", "400.00"), ("prod", "2500.00")]
)
def test_failed_backups_and_the_budget_report_to_the_alerts_topic(
    stack_runs, stack, limit
):
    run = stack_runs(stack)
    rule = only(run, "aws:cloudwatch/eventRule:EventRule").props
    target = only(run, "aws:cloudwatch/eventTarget:EventTarget").props
    budget = only(run, "aws:budgets/budget:Budget").props
    topic_arn = run.outputs["alerts_topic_arn"]

    pattern = json.loads(rule["eventPattern"])
    assert pattern["source"] == ["aws.backup"]
    assert pattern["detail"] == {"state": ["FAILED", "ABORTED", "EXPIRED"]}
    assert target == {**target, "rule": rule["name"], "arn": topic_arn}
    assert budget["limitAmount"] == limit
    assert budget["timeUnit"] == "MONTHLY"
    assert {n["subscriberSnsTopicArns"][0] for n in budget["notifications"]} == {
        topic_arn
    }


@pytest.mark.parametrize("stack", STACKS)
def test_ses_identity_signs_with_dkim_and_reports_to_sns(stack_runs, stack):
    run = stack_runs(stack)
    identity = only(run, "aws:sesv2/emailIdentity:EmailIdentity").props
    configuration_set = only(run, "aws:sesv2/configurationSet:ConfigurationSet").props
    mail_from = only(
        run, "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes"
    ).props
    destination = only(
        run,
        "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
    ).props["eventDestination"]
    events_topic = only(run, "aws:sns/topic:Topic", "email-events").props
    send_policy = json.loads(only(run, "aws:iam/userPolicy:UserPolicy").props["policy"])

    domain = run.outputs["sender_domain"]
    assert identity["emailIdentity"] == domain
    assert identity["dkimSigningAttributes"]["nextSigningKeyLength"] == "RSA_2048_BIT"
    assert identity["configurationSetName"] == f"caldron-{stack}"
    assert configuration_set["reputationOptions"] == {"reputationMetricsEnabled": True}
    assert mail_from["mailFromDomain"] == f"mail.{domain}"
    assert {"BOUNCE", "COMPLAINT"} <= set(destination["matchingEventTypes"])
    assert destination["snsDestination"] == {"topicArn": events_topic["arn"]}
    [statement] = send_policy["Statement"]
    assert statement["Resource"] == [identity["arn"], configuration_set["arn"]]
    assert statement["Condition"] == {"StringLike": {"ses:FromAddress": f"*@{domain}"}}
