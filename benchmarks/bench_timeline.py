"""The timeline's memory budget and cost: a 10 × 64 relu network with Adam trained for
10,000 epochs keeps its timeline within the budget (thinned evenly), and recording a
frame per epoch costs little next to training the same run without a timeline.

Run: ``python benchmarks/bench_timeline.py [--epochs 10000] [--budget-mb 256]``
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from scratchnet import data
from scratchnet.config import Config, make_trainer


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run(config, epochs, budget=None, every=500):
    t = make_trainer(config, data.build(config.data))
    if budget is not None:
        t.keep_timeline(budget)
    worst, t0, rss0 = 0, time.perf_counter(), rss_mb()
    while t.epoch < epochs:
        t.step_epoch()
        if t.timeline is not None:
            worst = max(worst, t.timeline.nbytes)
            if t.epoch % every == 0:
                tl = t.timeline
                print(f"  epoch {t.epoch:>6}: {len(tl.frames):>4} frames, "
                      f"{tl.nbytes / 2**20:6.1f} MB (budget {tl.budget / 2**20:.0f}), "
                      f"stride {tl.stride}, RSS +{rss_mb() - rss0:.0f} MB", flush=True)
    return t, time.perf_counter() - t0, worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=10_000)
    ap.add_argument("--budget-mb", type=int, default=256)
    ap.add_argument("--baseline-epochs", type=int, default=1000)
    args = ap.parse_args()
    cfg = Config(data.DataSpec("circles", 200, 0.1), hidden=[64] * 10,
                 activations=["relu"] * 10, optimizer="adam", lr=0.001, batch_size=32,
                 max_epochs=10**7)
    budget = args.budget_mb * 2**20
    print(f"10 x 64 relu, Adam, 150 training samples, {args.epochs:,} epochs, "
          f"budget {args.budget_mb} MB; load average {os.getloadavg()[0]:.2f}")
    t, seconds, worst = run(cfg, args.epochs, budget)
    tl = t.timeline
    frame = tl.frames[-1].nbytes
    print(f"timeline: {len(tl.frames):,} frames of {frame / 2**10:,.0f} KiB kept of "
          f"{args.epochs + 1:,} epochs (stride {tl.stride}, {tl.dropped:,} thinned), "
          f"{tl.nbytes / 2**20:.1f} MB now, {worst / 2**20:.1f} MB at most: "
          f"{'WITHIN' if worst <= budget else 'OVER'} the {args.budget_mb} MB budget; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    n = args.baseline_epochs  # the same epochs with and without a timeline, in this run
    _, with_tl, _ = run(cfg, n, budget, every=10**9)
    _, without, _ = run(cfg, n, None)
    print(f"recording cost over {n:,} epochs: {with_tl:.2f} s with a timeline, "
          f"{without:.2f} s without ({with_tl / without:.2f}x); "
          f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
