"""caldron's policy pack, for ``pulumi preview --policy-pack policy``.

The rules live in ``caldron_infra.policies``; this entry point only builds
the pack, which starts the analyzer and serves until Pulumi stops it.
"""

from caldron_infra.policy_pack import build_policy_pack

build_policy_pack()
