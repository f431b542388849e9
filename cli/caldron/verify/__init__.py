"""Post-deploy verification: check the live AWS account against a stack.

``targets`` reads what a stack promises from its outputs, one module per
resource family (``storage``, ``cdn``, ``email``, ``backups``, ``monitoring``)
checks it with read-only AWS calls, ``aws`` holds the clients and the one
translation of AWS failures into caldron errors, and ``runner`` ties them
together. boto3 is imported only when a check runs.
"""

from caldron.verify.results import CheckResult
from caldron.verify.runner import run_checks
from caldron.verify.targets import StackTargets

__all__ = ["CheckResult", "StackTargets", "run_checks"]
