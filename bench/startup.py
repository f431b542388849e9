"""CLI start-up: ``caldron --help`` against ``python -c "import click, hvac"``.

Prints the median wall time of each over repeated runs, their ratio against
the 2x target, and whether ``caldron --help`` imported pulumi or boto3.

    .venv/bin/python bench/startup.py [--runs N]
"""

import argparse
import statistics
import subprocess
import sys
import time

TARGET_RATIO = 2.0
HEAVY_MODULES = ("pulumi", "pulumi_aws", "boto3", "botocore", "detect_secrets")
HELP_THEN_LIST_MODULES = (
    "import sys\n"
    "from caldron.main import cli\n"
    "try:\n"
    "    cli.main(['--help'], prog_name='caldron')\n"
    "except SystemExit:\n"
    "    pass\n"
    "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
)


def time_command(command: list[str], runs: int) -> float:
    """Median wall time of ``command`` in seconds, after one warm-up run."""
    subprocess.run(command, check=True, capture_output=True)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def heavy_imports_of_help() -> list[str]:
    """The heavy modules that ``caldron --help`` ends up importing."""
    result = subprocess.run(
        [sys.executable, "-c", HELP_THEN_LIST_MODULES],
        check=True,
        capture_output=True,
        text=True,
    )
    loaded = set(result.stderr.split())
    return [name for name in HEAVY_MODULES if name in loaded]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs

    baseline = time_command([sys.executable, "-c", "import click, hvac"], runs)
    caldron = time_command([sys.executable, "-m", "caldron", "--help"], runs)
    ratio = caldron / baseline
    heavy = heavy_imports_of_help()

    print(f"runs per command:              {runs} (median)")
    print(f"python -c 'import click, hvac': {baseline * 1000:8.1f} ms")
    print(f"caldron --help:                {caldron * 1000:8.1f} ms")
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"ratio:                         {ratio:8.2f}x ({verdict} {TARGET_RATIO}x)")
    print(f"heavy modules imported:        {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
