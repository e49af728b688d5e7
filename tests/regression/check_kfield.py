"""The K-field load against an independent closed form: a k_field run's held atoms (md.walls type
k_field, or atoms on md.region faces that lie on fe.domain's k_field faces) and the continuum's k_field
boundary nodes sit exactly at K(t) U(X - tip), U the isotropic mode-I near-tip field of Anderson,
Fracture Mechanics, Table 2.2, u = K / (2 mu) sqrt(r / 2 pi) (cos(t/2) (kappa - 1 + 2 sin^2(t/2)),
sin(t/2) (kappa + 1 - 2 cos^2(t/2))), for the 2D hexagonal LJ crystal (cutoff 2.5, a0 = 1.1132013):
Cauchy-Born C11 = 83.499471, C12 = C66 = 27.833157, i.e. lambda = mu = 27.833157 and kappa = 2 (the 2D
solid is its own plane problem). seam computes U by the anisotropic Sih-Paris-Irwin formulas from the
constants instead, so this checks the whole chain (constants, field, walls, boundary nodes, time).

Usage: python3 check_kfield.py OUTDIR --k-rate R --tip X Y --reach D --region LO_X LO_Y HI_X HI_Y
         [--faces x_lo,x_hi,y_lo,y_hi] [--continuum FE_LO_X FE_LO_Y FE_HI_X FE_HI_Y]
K(t) = R t. Checks the last atom frame (and continuum frame) and thermo.csv's k_applied column.
"""
import argparse
import glob
import math
import os
import sys

import h5py
import numpy as np

MU = 27.833157
KAPPA = 2.0


def field(X, tip, K):
    dx, dy = X[:, 0] - tip[0], X[:, 1] - tip[1]
    r, t = np.hypot(dx, dy), np.arctan2(dy, dx)
    f = K / (2 * MU) * np.sqrt(r / (2 * math.pi))
    return np.stack([f * np.cos(t / 2) * (KAPPA - 1 + 2 * np.sin(t / 2) ** 2),
                     f * np.sin(t / 2) * (KAPPA + 1 - 2 * np.cos(t / 2) ** 2)], axis=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--k-rate", type=float, required=True)
    ap.add_argument("--tip", type=float, nargs=2, required=True)
    ap.add_argument("--reach", type=float, required=True)
    ap.add_argument("--region", type=float, nargs=4, required=True)
    ap.add_argument("--faces", default="x_lo,x_hi,y_lo,y_hi")
    ap.add_argument("--continuum", type=float, nargs=4)
    a = ap.parse_args()
    failures = []

    thermo = np.genfromtxt(os.path.join(a.out, "thermo.csv"), delimiter=",", names=True)
    err = np.max(np.abs(thermo["k_applied"] - a.k_rate * thermo["time"]))
    print("k_applied: max |k - rate t| = %.3e over %d rows" % (err, len(thermo)))
    if err > 1e-9 * (1 + a.k_rate * thermo["time"][-1]):
        failures.append("k_applied is not rate * t")

    frames = sorted(glob.glob(os.path.join(a.out, "atoms_*.h5")))
    with h5py.File(frames[-1], "r") as f:
        t = float(f.attrs["time"])
        X = f["reference_position"][:, :2]
        u = f["displacement"][:, :2]
    lo, hi = a.region[:2], a.region[2:]
    dist = {"x_lo": X[:, 0] - lo[0], "x_hi": hi[0] - X[:, 0], "y_lo": X[:, 1] - lo[1], "y_hi": hi[1] - X[:, 1]}
    held = np.zeros(len(X), bool)
    for face in a.faces.split(","):
        held |= dist[face] < a.reach
    K = a.k_rate * t
    expected = field(X[held], a.tip, K)
    scale = np.max(np.abs(expected))
    e = np.max(np.abs(u[held] - expected)) / scale
    print("atoms: %d held at t = %g (K = %g): max |u - K U| / max |K U| = %.3e (max |K U| = %.4g)"
          % (held.sum(), t, K, e, scale))
    if held.sum() == 0 or not e < 1e-6:
        failures.append("held atoms are not at the closed-form K-field (%.3e)" % e)
    # The free atoms inside are not held: somewhere they differ from the field.
    if np.all(held):
        failures.append("every atom is held")

    if a.continuum:
        frames = sorted(glob.glob(os.path.join(a.out, "continuum_*.h5")))
        with h5py.File(frames[-1], "r") as f:
            t = float(f.attrs["time"])
            X = f["reference_position"][:, :2]
            u = f["displacement"][:, :2]
        flo, fhi = a.continuum[:2], a.continuum[2:]
        on = (np.abs(X[:, 0] - flo[0]) < 1e-9) | (np.abs(X[:, 0] - fhi[0]) < 1e-9) | \
             (np.abs(X[:, 1] - flo[1]) < 1e-9) | (np.abs(X[:, 1] - fhi[1]) < 1e-9)
        expected = field(X[on], a.tip, a.k_rate * t)
        scale = np.max(np.abs(expected))
        e = np.max(np.abs(u[on] - expected)) / scale
        print("continuum: %d boundary nodes at t = %g: max |u - K U| / max |K U| = %.3e" % (on.sum(), t, e))
        if on.sum() == 0 or not e < 1e-6:
            failures.append("boundary nodes are not at the closed-form K-field (%.3e)" % e)

    for f in failures:
        print("check_kfield: FAIL: " + f)
    sys.exit(1 if failures else 0)


main()
