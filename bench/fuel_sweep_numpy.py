"""The fuel-sweep benchmark model (../shared/reference/fuel-sweep.md),
hand-vectorized across runs with NumPy, in float64: the reference a reader
can run beside `furnace run scenarios/fuel-sweep.toml --runs 1000`.

    python3 -m venv /tmp/np && /tmp/np/bin/pip install numpy
    /tmp/np/bin/python bench/fuel_sweep_numpy.py [RUNS] [DAYS]

Prints p5/p50/p95 of final supply and price, the mean cumulative burn and
the wall time of the sweep. Random streams differ from furnace's: agree
statistically, not run by run.
"""
import sys
import time

import numpy as np

R = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
T = int(sys.argv[2]) if len(sys.argv) > 2 else 365
S0, X0, Y0, FEE, P = 1e9, 50e6, 5e6, 0.003, 0.01
A0, MU, SD, FLOOR, M = 1e6, 0.01, 0.02, -0.5, 0.6
B, C, E0, DECAY = 0.34, 0.33, 1e6, 0.999

start = time.perf_counter()
rng = np.random.default_rng(0)
x = np.full(R, X0)
y = np.full(R, Y0)
s = np.full(R, S0)
a = np.full(R, A0)
burned = np.zeros(R)
spent = np.zeros(R)
for t in range(T):
    price = y / x
    d = P * a / price
    d = np.where(d >= x, 0.5 * x, d)
    usd_in = y * d / (x - d) / (1 - FEE)
    x -= d
    y += usd_in
    burn = B * d
    creator = C * M * d
    e = E0 * DECAY**t
    tin = 0.5 * e + 0.5 * creator
    usd_out = y * tin * (1 - FEE) / (x + tin * (1 - FEE))
    x += tin
    y -= usd_out
    s += e - burn
    burned += burn
    spent += usd_in
    g = np.maximum(rng.normal(MU, SD, R), FLOOR)
    a *= 1 + g
elapsed = time.perf_counter() - start
q = [5, 50, 95]
print("supply p5/p50/p95", np.percentile(s, q))
print("price  p5/p50/p95", np.percentile(y / x, q))
print("mean cumulative burn", burned.mean(), "USD spent", spent.mean())
print(f"{R} runs x {T} days: {elapsed * 1e3:.1f} ms, {R * T / elapsed / 1e6:.2f} M run-days/s")
