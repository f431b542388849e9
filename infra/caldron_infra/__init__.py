"""caldron's Pulumi program: one component per resource family.

``infra/__main__.py`` reads the stack's settings and composes the components
from this package; ``caldron_infra.policies`` holds the rules that the policy
pack and ``caldron infra check`` both apply.
"""
