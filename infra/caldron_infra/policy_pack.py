"""The bridge between caldron's rules and the Pulumi policy engine.

``build_policy_pack`` is called only by ``policy/__main__.py``: constructing a
``PolicyPack`` starts the analyzer's gRPC server and serves until Pulumi
stops it. Everything else here is safe to import and test.
"""

import json
from typing import Any

import pulumi
from pulumi.runtime.config import get_config_env, get_config_secret_keys_env
from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy

from caldron_infra.policies import POLICIES, Policy, StackView

PACK_NAME = "caldron"


def read_engine_config() -> dict[str, Any]:
    """The stack's config as the engine hands it to the analyzer, with
    structured values parsed back from JSON."""
    config = {}
    for key, value in get_config_env().items():
        try:
            config[key] = json.loads(value) if value[:1] in ("[", "{") else value
        except ValueError:
            config[key] = value
    return config


def as_stack_validation(policy: Policy) -> StackValidationPolicy:
    """Wrap one caldron rule as a mandatory stack validation policy."""

    def validate(args, report_violation) -> None:
        view = StackView(
            stack=pulumi.get_stack(),
            resources=args.resources,
            config=read_engine_config(),
            secret_keys=frozenset(get_config_secret_keys_env()),
        )
        for violation in policy.check(view):
            report_violation(violation)

    return StackValidationPolicy(
        name=policy.name,
        description=policy.description,
        enforcement_level=EnforcementLevel.MANDATORY,
        validate=validate,
    )


def build_policy_pack() -> PolicyPack:
    """Build (and so start serving) the pack of every caldron rule."""
    return PolicyPack(
        name=PACK_NAME,
        policies=[as_stack_validation(policy) for policy in POLICIES],
        enforcement_level=EnforcementLevel.MANDATORY,
    )
