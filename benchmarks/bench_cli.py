"""The command line on the compiled kernel against the numpy path, in one run.

``scratchnet train --preset classic --epochs 500`` a few times each way, alternating so
that load affects both alike; prints the wall clock of the whole process and the
training loop's own seconds (the summary's ``seconds``), with the ratios.

Run: ``python benchmarks/bench_cli.py [--runs 3] [--epochs 500]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np


def once(epochs: int, numpy_only: bool) -> tuple[float, float, str]:
    env = {k: v for k, v in os.environ.items() if k != "SCRATCHNET_KERNEL"}
    if numpy_only:
        env["SCRATCHNET_KERNEL"] = "numpy"
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scratchnet_gui.cli", "train", "--preset",
                           "classic", "--epochs", str(epochs), "--json"], env=env,
                          capture_output=True, text=True, timeout=600, check=True)
    wall = time.perf_counter() - t0
    summary = json.loads(done.stdout)
    return wall, summary["seconds"], summary["kernel"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=500)
    args = ap.parse_args()
    once(5, False)  # numba's cache written, if this is a fresh clone
    kern, nump = [], []
    for _ in range(args.runs):
        kern.append(once(args.epochs, False))
        nump.append(once(args.epochs, True))
    kw, kt = np.median([r[0] for r in kern]), np.median([r[1] for r in kern])
    nw, nt = np.median([r[0] for r in nump]), np.median([r[1] for r in nump])
    print(f"scratchnet train --preset classic --epochs {args.epochs}, median of {args.runs} "
          f"(load average {os.getloadavg()[0]:.2f}); kernel status at the end: "
          f"{kern[-1][2]!r}")
    print(f"  kernel: {kw:.2f} s wall, {kt:.2f} s training")
    print(f"  SCRATCHNET_KERNEL=numpy: {nw:.2f} s wall, {nt:.2f} s training")
    print(f"  faster: {nw / kw:.1f}x wall, {nt / kt:.1f}x training (target >= 3x)")


if __name__ == "__main__":
    main()
