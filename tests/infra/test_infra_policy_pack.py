"""The policy pack's bridge: the same rules, fed the way the Pulumi analyzer
feeds them (``PolicyResource`` objects, config from the environment)."""

import contextvars
import dataclasses
import json

import pytest
from pulumi.runtime.settings import reset_options
from pulumi_policy import EnforcementLevel, StackValidationArgs
from pulumi_policy.policy import PolicyResource, PolicyResourceOptions

from caldron.infra_check.stack_config import read_stack_config
from caldron_infra.policies import POLICIES
from caldron_infra.policy_pack import as_stack_validation, read_engine_config


def as_policy_resources(resources):
    """Rebuild a run's resource graph as the analyzer's ``PolicyResource``s."""
    converted = {
        r.urn: PolicyResource(
            resource_type=r.resource_type,
            props=r.props,
            urn=r.urn,
            name=r.name,
            opts=PolicyResourceOptions(False, [], False, [], None, [], None),
            provider=None,
            parent=None,
            dependencies=[],
            property_dependencies={},
        )
        for r in resources
    }
    for r in resources:
        converted[r.urn].property_dependencies = {
            key: [converted[d.urn] for d in deps if d.urn in converted]
            for key, deps in r.property_dependencies.items()
        }
    return list(converted.values())


def analyze(stack, resources):
    """Run every wrapped policy as the analyzer would, for ``stack``."""
    reported = {}

    def run_policies():
        reset_options(project="caldron", stack=stack)
        args = StackValidationArgs(as_policy_resources(resources), {})
        for policy in POLICIES:
            wrapped = as_stack_validation(policy)
            found = reported.setdefault(policy.name, [])
            wrapped.validate(
                args, lambda message, urn=None, found=found: found.append(message)
            )

    contextvars.Context().run(run_policies)
    return reported


@pytest.fixture
def analyzer_config(monkeypatch):
    """Hand a stack's config to the analyzer the way the engine does."""

    def hand_over(config, secret_keys=()):
        encoded = {
            key: value if isinstance(value, str) else json.dumps(value)
            for key, value in config.items()
        }
        monkeypatch.setenv("PULUMI_CONFIG", json.dumps(encoded))
        monkeypatch.setenv("PULUMI_CONFIG_SECRET_KEYS", json.dumps(list(secret_keys)))

    return hand_over


def test_wrapped_policies_are_mandatory_and_keep_their_names():
    wrapped = [as_stack_validation(policy) for policy in POLICIES]
    assert [(w.name, w.enforcement_level) for w in wrapped] == [
        (policy.name, EnforcementLevel.MANDATORY) for policy in POLICIES
    ]


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_real_stacks_pass_every_policy_through_the_analyzer_bridge(
    project, stack_runs, analyzer_config, stack
):
    analyzer_config(read_stack_config(project, stack).values)

    reported = analyze(stack, stack_runs(stack).custom_resources)

    assert reported == {policy.name: [] for policy in POLICIES}


def test_a_violation_reaches_the_analyzer(stack_runs, analyzer_config):
    analyzer_config({})
    resources = stack_runs("prod").custom_resources
    plain_http = [
        dataclasses.replace(r, props={**r.props, "defaultCacheBehavior": {}})
        if r.resource_type == "aws:cloudfront/distribution:Distribution"
        else r
        for r in resources
    ]

    reported = analyze("prod", plain_http)

    assert reported["https-only-cdn"] == [
        "distribution 'assets' lets viewers use plain HTTP (viewerProtocolPolicy None)"
    ]


@pytest.mark.parametrize(
    ("secret_keys", "expected"),
    [
        (
            (),
            [
                "config caldron:sentryToken names a secret but is stored in plain "
                "text; set it with `pulumi config set --secret`"
            ],
        ),
        (("caldron:sentryToken",), []),
    ],
)
def test_config_secrets_are_judged_from_the_engines_secret_keys(
    analyzer_config, secret_keys, expected
):
    analyzer_config(
        {"caldron:sentryToken": "fake-token-value", "caldron:alerts": {"emails": []}},
        secret_keys,
    )

    reported = analyze("dev", [])

    assert reported["no-plaintext-secret-in-config"] == expected
    assert read_engine_config()["caldron:alerts"] == {"emails": []}
