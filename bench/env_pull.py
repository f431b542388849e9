"""``env pull`` of the whole catalogue against a real local OpenBao.

Three ways to get the same values, each timed over repeated runs:

- caldron: ``render_environment`` (template, catalogue, one concurrent read per
  integration, encoding and read-back check), in-process with a warm client;
- floor: raw GETs of the same paths, one after another, over one kept-alive
  connection, with nothing done to the answers;
- naive: ``bao kv get -format=json`` once per integration, in a loop.

Targets: caldron within 1.5x of the floor, and at least 5x faster than naive.

    .venv/bin/python bench/env_pull.py [--runs N]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

FLOOR_TARGET = 1.5
NAIVE_TARGET = 5.0


def free_port() -> int:
    """A loopback port whose next port up is free too (raft's cluster port)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with socket.socket() as cluster:
            try:
                cluster.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


def median_seconds(work, runs: int) -> float:
    work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs

    with tempfile.TemporaryDirectory(prefix="caldron-bench-") as home:
        os.environ["CALDRON_HOME"] = home
        os.environ["CALDRON_LOCAL_VAULT_PORT"] = str(free_port())
        for name in ("VAULT_ADDR", "VAULT_TOKEN"):
            os.environ.pop(name, None)

        from caldron.vault.local import start_local_server, stop_local_server

        start_local_server("caldron")
        try:
            measure(runs)
        finally:
            stop_local_server()


def measure(runs: int) -> None:
    from caldron.catalogue import load_catalogue
    from caldron.rendering import render_environment
    from caldron.vault import open_store
    from caldron.vault.settings import VaultSettings

    settings = VaultSettings.from_environment()
    store = open_store(settings)
    catalogue = load_catalogue()
    slugs = [integration.slug for integration in catalogue.integrations]
    for integration in catalogue.integrations:
        data = {spec.name: spec.example for spec in integration.keys}
        store.write("dev", integration.slug, data, cas=0)

    def caldron_pull():
        render_environment(store, "dev", None, None)

    session = requests.Session()
    headers = {"X-Vault-Token": settings.token}
    urls = [f"{settings.address}/v1/caldron/data/dev/{slug}" for slug in slugs]

    def floor():
        for url in urls:
            session.get(url, headers=headers).raise_for_status()

    bao = Path(sys.executable).parent / "bao"
    bao_env = {
        **os.environ,
        "VAULT_ADDR": settings.address,
        "VAULT_TOKEN": settings.token,
    }

    def naive():
        for slug in slugs:
            subprocess.run(
                [
                    str(bao),
                    "kv",
                    "get",
                    "-format=json",
                    "-mount=caldron",
                    f"dev/{slug}",
                ],
                check=True,
                capture_output=True,
                env=bao_env,
            )

    caldron = median_seconds(caldron_pull, runs)
    floor_time = median_seconds(floor, runs)
    naive_time = median_seconds(naive, max(3, runs // 5))

    print(f"integrations (Vault paths):   {len(slugs)}")
    print(f"runs:                         {runs} (median; naive {max(3, runs // 5)})")
    print(f"floor (raw GETs, keep-alive): {floor_time * 1000:8.1f} ms")
    print(f"caldron env pull:             {caldron * 1000:8.1f} ms")
    print(f"naive (bao kv get per path):  {naive_time * 1000:8.1f} ms")
    to_floor = caldron / floor_time
    speedup = naive_time / caldron
    print(
        f"caldron / floor:              {to_floor:8.2f}x "
        f"({'within' if to_floor <= FLOOR_TARGET else 'OVER'} {FLOOR_TARGET}x)"
    )
    print(
        f"naive / caldron:              {speedup:8.1f}x "
        f"({'meets' if speedup >= NAIVE_TARGET else 'BELOW'} {NAIVE_TARGET}x)"
    )


if __name__ == "__main__":
    main()
