"""Where numpy's BLAS products overtake the compiled kernel: the basis of
``scratchnet.kernel.WORK_PER_LAYER``.

Trains 2-w-…-w-1 tanh networks (SGD) on 750 circles samples through both paths for
several widths ``w`` and batch sizes, BLAS on one thread as in the training process,
and prints CPU microseconds per sample (best of a few epochs) and the ratio.

Run: ``python benchmarks/bench_kernel_threshold.py [--widths 16 32 64 ...]``.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import threadpoolctl

from scratchnet import SGD, Network, Trainer, data, kernel


def per_sample(width: int, depth: int, batch: int, use_kernel: bool, budget: float):
    """Best CPU seconds per sample over whole epochs within ``budget`` seconds."""
    ds = data.build(data.DataSpec("circles", 1000, 0.1, seed=0))
    t = Trainer(Network([2] + [width] * depth + [1], "tanh", init="xavier", seed=0),
                ds.X_train, ds.y_train, optimizer=SGD(0.01), batch_size=batch,
                track_metrics=False)
    epoch = t.step_epoch if use_kernel else lambda: [
        None for _ in iter(t.step_batch, True)]
    epoch()  # warm-up
    best, start = np.inf, time.perf_counter()
    while time.perf_counter() - start < budget:
        c0 = time.process_time()
        epoch()
        best = min(best, time.process_time() - c0)
    return best / t.n_train, sum(p.size for p in t.network.parameters())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--widths", type=int, nargs="+", default=[16, 32, 64, 96, 128, 192, 256])
    ap.add_argument("--depth", type=int, default=2, help="hidden layers")
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 10, 64])
    ap.add_argument("--budget", type=float, default=0.5, help="seconds per measurement")
    args = ap.parse_args()
    threadpoolctl.threadpool_limits(1)
    kernel.WORK_PER_LAYER = 1 << 60  # measure past the switch this script is for
    print("kernel:", kernel.start_compiling(), "->", kernel.wait(120))
    for b in args.batches:
        for w in args.widths:
            k, n_params = per_sample(w, args.depth, b, True, args.budget)
            n, _ = per_sample(w, args.depth, b, False, args.budget)
            print(f"batch {b:3d} width {w:4d} params×batch {n_params * b:8d}: kernel "
                  f"{k * 1e6:8.2f} µs/sample, numpy {n * 1e6:8.2f} µs/sample, numpy/kernel {n / k:6.2f}  "
                  f"(load {os.getloadavg()[0]:.2f})", flush=True)


if __name__ == "__main__":
    main()
