"""Check caldron's Pulumi program offline, under the Pulumi SDK's mocks.

The harness runs ``infra/`` the way Pulumi's Python language host does, with a
stack's real settings, records every resource it registers and every output
it exports, and evaluates the policy rules of ``caldron_infra.policies``
over them. Nothing here reaches AWS or a Pulumi backend, and importing this
package does not import pulumi: the modules that need it import it inside
their functions.
"""
