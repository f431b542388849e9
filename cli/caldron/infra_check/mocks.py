"""Offline stand-ins for the Pulumi engine and the AWS provider.

``OfflineMocks`` answers resource registrations and invokes the way the AWS
provider would after a create: it keeps the inputs and fills the computed
outputs (ids, ARNs, domain names, DKIM tokens) that the program feeds into
other resources. It knows every resource type the program uses and refuses
any other, so a renamed token (a ``*V2`` alias, a typo) fails loudly instead
of slipping through with outputs missing. Invoke results use the provider's
camelCase names (``accountId``), as the real provider returns them.

``RecordingMonitor`` wraps the SDK's mock monitor to keep what that one
forgets: each resource's parent and property dependencies, which the policy
rules use to tell which bucket a versioning setting belongs to.
"""

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

ACCOUNT_ID = "123456789012"
# Obvious stand-ins for computed secrets; no real credential ever looks so.
FAKE_SMTP_PASSWORD = "BFAKE0smtp0password0offline0mock0000000000AA"  # noqa: S105
FAKE_SECRET_ACCESS_KEY = "fake-secret-access-key-offline"  # noqa: S105
PROVIDER_TYPE = "pulumi:providers:aws"


class UnknownResourceTypeError(Exception):
    """The program registered a type the offline provider does not know."""


class UnknownInvokeError(Exception):
    """The program called a provider function the offline provider lacks."""


@dataclass
class RegisteredResource:
    """One resource as the program registered it, plus its computed state.

    The attribute names match ``pulumi_policy.PolicyResource``, so the policy
    rules read both alike.
    """

    resource_type: str
    name: str
    urn: str
    props: dict[str, Any]
    custom: bool
    parent: "RegisteredResource | None" = None
    property_dependencies: dict[str, list["RegisteredResource"]] = field(
        default_factory=dict
    )

    @property
    def family(self) -> str:
        """The component family (``storage``, ``cdn``...) it belongs to."""
        node: RegisteredResource | None = self
        while node is not None:
            if node.resource_type.startswith("caldron:"):
                return node.resource_type.split(":")[1]
            node = node.parent
        return "program"


@dataclass(frozen=True)
class ResourceKind:
    """How the offline provider answers for one resource type."""

    compute: Callable[["_Context"], dict[str, Any]]
    taggable: bool = True


@dataclass
class _Context:
    """What a ``ResourceKind.compute`` needs to know about one registration."""

    type_: str
    name: str
    inputs: dict[str, Any]
    region: str

    @property
    def suffix(self) -> str:
        digest = hashlib.sha256(f"{self.type_}/{self.name}".encode()).hexdigest()
        return digest[:8]

    def given_or_auto_name(self, key: str = "name") -> str:
        return self.inputs.get(key) or f"{self.name}-{self.suffix}"

    def arn(self, service: str, resource: str, region: str | None = None) -> str:
        where = self.region if region is None else region
        return f"arn:aws:{service}:{where}:{ACCOUNT_ID}:{resource}"


def _bucket(c: _Context) -> dict:
    name = c.given_or_auto_name("bucket")
    region = c.inputs.get("region") or c.region
    return {
        "id": name,
        "bucket": name,
        "arn": f"arn:aws:s3:::{name}",
        "region": region,
        "bucketDomainName": f"{name}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
    }


def _bucket_part(c: _Context) -> dict:
    return {"id": c.inputs.get("bucket") or c.suffix}


def _kms_key(c: _Context) -> dict:
    key_id = f"fake-{c.suffix}-key"
    region = c.inputs.get("region") or c.region
    return {"id": key_id, "keyId": key_id, "arn": c.arn("kms", f"key/{key_id}", region)}


def _named_arn(service: str, resource: str) -> Callable[[_Context], dict]:
    def compute(c: _Context) -> dict:
        name = c.given_or_auto_name()
        region = c.inputs.get("region") or c.region
        arn = c.arn(service, resource.format(name=name), region)
        return {"id": name, "name": name, "arn": arn}

    return compute


def _global_arn(service: str, resource: str) -> Callable[[_Context], dict]:
    def compute(c: _Context) -> dict:
        name = c.given_or_auto_name()
        return {
            "id": name,
            "name": name,
            "arn": c.arn(service, resource.format(name=name), region=""),
        }

    return compute


def _plain_id(c: _Context) -> dict:
    return {"id": f"{c.name}-{c.suffix}"}


def _distribution(c: _Context) -> dict:
    distribution_id = f"E{c.suffix.upper()}FAKE"
    return {
        "id": distribution_id,
        "arn": f"arn:aws:cloudfront::{ACCOUNT_ID}:distribution/{distribution_id}",
        "domainName": f"d{c.suffix}.cloudfront.net",
        "hostedZoneId": "Z2FDTNDATAQYW2",
        "status": "Deployed",
    }


def _cloudfront_part(c: _Context) -> dict:
    return {"id": f"{c.suffix}-fake", "etag": "FAKEETAG"}


def _certificate(c: _Context) -> dict:
    domain = c.inputs["domainName"]
    return {
        "id": c.arn("acm", f"certificate/{c.suffix}"),
        "arn": c.arn("acm", f"certificate/{c.suffix}"),
        "domainValidationOptions": [
            {
                "domainName": domain,
                "resourceRecordName": f"_{c.suffix}.{domain}.",
                "resourceRecordType": "CNAME",
                "resourceRecordValue": f"_{c.suffix}.fake.acm-validations.aws.",
            }
        ],
        "status": "ISSUED",
    }


def _certificate_validation(c: _Context) -> dict:
    return {"id": c.inputs["certificateArn"]}


def _route53_record(c: _Context) -> dict:
    name = str(c.inputs.get("name", c.name)).rstrip(".")
    return {
        "id": f"{c.inputs.get('zoneId')}_{name}_{c.inputs.get('type')}",
        "fqdn": name,
    }


def _log_delivery_source(c: _Context) -> dict:
    name = c.given_or_auto_name()
    return {"id": name, "name": name, "arn": c.arn("logs", f"delivery-source:{name}")}


def _log_delivery_destination(c: _Context) -> dict:
    name = c.given_or_auto_name()
    return {
        "id": name,
        "name": name,
        "arn": c.arn("logs", f"delivery-destination:{name}"),
    }


def _configuration_set(c: _Context) -> dict:
    name = c.inputs["configurationSetName"]
    return {"id": name, "arn": c.arn("ses", f"configuration-set/{name}")}


def _email_identity(c: _Context) -> dict:
    identity = c.inputs["emailIdentity"]
    signing = dict(c.inputs.get("dkimSigningAttributes") or {})
    signing["tokens"] = [f"fakedkim{n}{c.suffix}" for n in (1, 2, 3)]
    signing["status"] = "NOT_STARTED"
    return {
        "id": identity,
        "arn": c.arn("ses", f"identity/{identity}"),
        "identityType": "DOMAIN",
        "dkimSigningAttributes": signing,
        "verifiedForSendingStatus": False,
    }


def _topic(c: _Context) -> dict:
    name = c.given_or_auto_name()
    arn = c.arn("sns", name)
    return {"id": arn, "name": name, "arn": arn}


def _subscription(c: _Context) -> dict:
    arn = f"{c.inputs['topic']}:fake-{c.suffix}"
    return {"id": arn, "arn": arn}


def _topic_policy(c: _Context) -> dict:
    return {"id": c.inputs["arn"]}


def _iam_user(c: _Context) -> dict:
    name = c.given_or_auto_name()
    path = c.inputs.get("path", "/")
    return {
        "id": name,
        "name": name,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user{path}{name}",
        "uniqueId": f"AIDAFAKE{c.suffix.upper()}",
    }


def _access_key(c: _Context) -> dict:
    return {
        "id": f"AKIAFAKE{c.suffix.upper()}",
        "secret": FAKE_SECRET_ACCESS_KEY,
        "sesSmtpPasswordV4": FAKE_SMTP_PASSWORD,
        "status": "Active",
    }


def _iam_role(c: _Context) -> dict:
    name = c.given_or_auto_name()
    return {
        "id": name,
        "name": name,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{name}",
        "uniqueId": f"AROAFAKE{c.suffix.upper()}",
    }


def _backup_vault(c: _Context) -> dict:
    name = c.given_or_auto_name()
    region = c.inputs.get("region") or c.region
    return {
        "id": name,
        "name": name,
        "region": region,
        "arn": c.arn("backup", f"backup-vault:{name}", region),
    }


def _backup_plan(c: _Context) -> dict:
    plan_id = f"fake-plan-{c.suffix}"
    return {
        "id": plan_id,
        "arn": c.arn("backup", f"backup-plan:{plan_id}"),
        "version": "fake-version-1",
    }


def _backup_selection(c: _Context) -> dict:
    return {"id": f"fake-selection-{c.suffix}"}


def _budget(c: _Context) -> dict:
    name = c.given_or_auto_name()
    return {
        "id": f"{ACCOUNT_ID}:{name}",
        "name": name,
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:budgets::{ACCOUNT_ID}:budget/{name}",
    }


def _component(c: _Context) -> dict:
    return {}


RESOURCE_KINDS: dict[str, ResourceKind] = {
    PROVIDER_TYPE: ResourceKind(_plain_id, taggable=False),
    "aws:s3/bucket:Bucket": ResourceKind(_bucket),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ResourceKind(
        _bucket_part, taggable=False
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ResourceKind(
        _bucket_part, taggable=False
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:"
    "BucketServerSideEncryptionConfiguration": ResourceKind(
        _bucket_part, taggable=False
    ),
    "aws:s3/bucketVersioning:BucketVersioning": ResourceKind(
        _bucket_part, taggable=False
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ResourceKind(
        _bucket_part, taggable=False
    ),
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": ResourceKind(
        _bucket_part, taggable=False
    ),
    "aws:s3/bucketLogging:BucketLogging": ResourceKind(_bucket_part, taggable=False),
    "aws:s3/bucketPolicy:BucketPolicy": ResourceKind(_bucket_part, taggable=False),
    "aws:kms/key:Key": ResourceKind(_kms_key),
    "aws:kms/alias:Alias": ResourceKind(_named_arn("kms", "{name}"), taggable=False),
    "aws:cloudfront/originAccessControl:OriginAccessControl": ResourceKind(
        _cloudfront_part, taggable=False
    ),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": ResourceKind(
        _cloudfront_part, taggable=False
    ),
    "aws:cloudfront/distribution:Distribution": ResourceKind(_distribution),
    "aws:acm/certificate:Certificate": ResourceKind(_certificate),
    "aws:acm/certificateValidation:CertificateValidation": ResourceKind(
        _certificate_validation, taggable=False
    ),
    "aws:route53/record:Record": ResourceKind(_route53_record, taggable=False),
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": ResourceKind(
        _log_delivery_source
    ),
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": ResourceKind(
        _log_delivery_destination
    ),
    "aws:cloudwatch/logDelivery:LogDelivery": ResourceKind(_plain_id),
    "aws:sesv2/configurationSet:ConfigurationSet": ResourceKind(_configuration_set),
    "aws:sesv2/emailIdentity:EmailIdentity": ResourceKind(_email_identity),
    "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes": (
        ResourceKind(_plain_id, taggable=False)
    ),
    "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination": (
        ResourceKind(_plain_id, taggable=False)
    ),
    "aws:sns/topic:Topic": ResourceKind(_topic),
    "aws:sns/topicPolicy:TopicPolicy": ResourceKind(_topic_policy, taggable=False),
    "aws:sns/topicSubscription:TopicSubscription": ResourceKind(
        _subscription, taggable=False
    ),
    "aws:iam/user:User": ResourceKind(_iam_user),
    "aws:iam/userPolicy:UserPolicy": ResourceKind(_plain_id, taggable=False),
    "aws:iam/accessKey:AccessKey": ResourceKind(_access_key, taggable=False),
    "aws:iam/role:Role": ResourceKind(_iam_role),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ResourceKind(
        _plain_id, taggable=False
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ResourceKind(
        _named_arn("cloudwatch", "alarm:{name}")
    ),
    "aws:cloudwatch/eventRule:EventRule": ResourceKind(
        _named_arn("events", "rule/{name}")
    ),
    "aws:cloudwatch/eventTarget:EventTarget": ResourceKind(_plain_id, taggable=False),
    "aws:budgets/budget:Budget": ResourceKind(_budget),
    "aws:backup/vault:Vault": ResourceKind(_backup_vault),
    "aws:backup/plan:Plan": ResourceKind(_backup_plan),
    "aws:backup/selection:Selection": ResourceKind(_backup_selection, taggable=False),
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": ResourceKind(
        _plain_id, taggable=False
    ),
}

INVOKE_RESULTS: dict[str, dict[str, Any]] = {
    "aws:index/getCallerIdentity:getCallerIdentity": {
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/fake-offline",
        "userId": "AIDAFAKEOFFLINE",
        "id": ACCOUNT_ID,
    },
}


class OfflineMocks:
    """The ``pulumi.runtime.Mocks`` protocol, answered from the tables above.

    Components (``caldron:*`` types) are accepted and given no state. Every
    custom resource is kept as ``(type, name, inputs, state)`` so the harness
    can rebuild the graph afterwards.
    """

    def __init__(self, default_region: str) -> None:
        self.default_region = default_region
        self.provider_regions: dict[str, str] = {}
        self.unknown_types: list[str] = []
        self.unknown_invokes: list[str] = []

    def new_resource(self, args) -> tuple[str, dict]:
        """Answer one registration: keep the inputs, add computed outputs."""
        if args.typ.startswith("caldron:"):
            return "", {}
        kind = RESOURCE_KINDS.get(args.typ)
        if kind is None:
            self.unknown_types.append(args.typ)
            raise UnknownResourceTypeError(
                f"the offline provider does not know resource type {args.typ!r} "
                f"(resource {args.name!r})"
            )

        region = self._region_of(args)
        context = _Context(args.typ, args.name, dict(args.inputs), region)
        computed = kind.compute(context)
        state = {**args.inputs, **computed}
        resource_id = str(computed.get("id") or f"{args.name}-{context.suffix}")
        if args.typ == PROVIDER_TYPE:
            self.provider_regions[args.name] = args.inputs.get("region", region)
        logger.debug("offline provider registered %s %s", args.typ, args.name)
        return resource_id, state

    def call(self, args) -> tuple[dict, list]:
        """Answer one invoke with the provider's camelCase result."""
        result = INVOKE_RESULTS.get(args.token)
        if result is None:
            self.unknown_invokes.append(args.token)
            raise UnknownInvokeError(
                f"the offline provider does not answer {args.token!r}"
            )
        return dict(result), []

    def register_transform(self, transform) -> None:
        """Transforms are not run offline; the program registers none."""

    def register_invoke_transform(self, transform) -> None:
        """Invoke transforms are not run offline; the program registers none."""

    def _region_of(self, args) -> str:
        # A provider reference reads "<provider urn>::<provider id>", and a
        # URN ends with the resource's name.
        provider_urn = (args.provider or "").rsplit("::", 1)[0]
        provider_name = provider_urn.rsplit("::", 1)[-1]
        return self.provider_regions.get(provider_name, self.default_region)


@dataclass
class _Registration:
    urn: str
    type_: str
    name: str
    custom: bool
    parent_urn: str
    property_dependencies: dict[str, list[str]]


class DuplicateResourceError(Exception):
    """Two resources were registered under one URN."""


class RecordingMonitor:
    """A mock monitor that also remembers parents and property dependencies.

    It wraps ``pulumi.runtime.mocks.MockMonitor`` and hands every other call
    through unchanged.
    """

    def __init__(self, inner) -> None:
        self._inner = inner
        self.registrations: dict[str, _Registration] = {}
        self.duplicates: list[str] = []
        self._claimed: set[str] = set()
        self._claiming = threading.Lock()

    def RegisterResource(self, request):
        """Register through the inner monitor, then remember the request."""
        urn = self._inner.make_urn(request.parent, request.type, request.name)
        with self._claiming:
            # The SDK registers from several threads: claim the URN first.
            duplicate = urn in self._claimed
            self._claimed.add(urn)
            if duplicate:
                self.duplicates.append(urn)
        if duplicate:
            raise DuplicateResourceError(f"two resources share the URN {urn}")

        response = self._inner.RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.registrations[response.urn] = _Registration(
                urn=response.urn,
                type_=request.type,
                name=request.name,
                custom=bool(request.custom),
                parent_urn=request.parent,
                property_dependencies={
                    key: list(value.urns)
                    for key, value in request.propertyDependencies.items()
                },
            )
        return response

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def build_graph(self) -> list[RegisteredResource]:
        """Every registered resource, linked to its parent and dependencies,
        in URN order (registrations finish in whatever order threads allow)."""
        resources: dict[str, RegisteredResource] = {}
        registered = self._inner.get_registered_resources()
        for urn, registration in self.registrations.items():
            mock = registered.get(urn)
            state = dict(mock.state) if mock is not None else {}
            resources[urn] = RegisteredResource(
                resource_type=registration.type_,
                name=registration.name,
                urn=urn,
                props=state,
                custom=registration.custom,
            )
        for urn, registration in self.registrations.items():
            resource = resources[urn]
            resource.parent = resources.get(registration.parent_urn)
            resource.property_dependencies = {
                key: [resources[u] for u in urns if u in resources]
                for key, urns in registration.property_dependencies.items()
            }
        return [resources[urn] for urn in sorted(resources)]
