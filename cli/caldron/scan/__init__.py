"""``caldron scan``: find secrets before they reach git.

Three detectors look at the same documents: detect-secrets' generic plugins
(minus a baseline's accepted findings), the known values of an environment
(as hashes), and the names of rendered ``.env`` files git would commit. A
finding names the file, the line and the kind of secret, never the value.
"""

from caldron.scan.runner import ScanReport, ScanRequest, check_request, run_scan

__all__ = ["ScanReport", "ScanRequest", "check_request", "run_scan"]
