"""Synthetic BG/NBD customers with known parameters, for tests and benchmarks."""

from __future__ import annotations

import numpy as np


def simulate_bgnbd(n: int, r: float, alpha: float, a: float, b: float, T: float, rng: np.random.Generator):
    """Draw BG/NBD customers: Poisson purchases at rate lambda until a geometric dropout."""
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    t = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        t_next = t[idx] + rng.exponential(1 / lam[idx])
        bought = t_next <= T
        buyers = idx[bought]
        x[buyers] += 1
        t_x[buyers] = t_next[bought]
        t[buyers] = t_next[bought]
        alive[idx[~bought]] = False
        alive[buyers[rng.random(len(buyers)) < p[buyers]]] = False
    return x, t_x, np.full(n, T)
