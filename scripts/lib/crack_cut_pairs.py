#!/usr/bin/env python3
"""Exact bond cut vs LAMMPS type exclusion for the 2D crack reference.

seam's deck inputs/coupled/crack_2d_md.yaml removes every pair whose reference
segment crosses the cut segment (-80, yc)-(0, yc). tests/reference/crack_2d.in
approximates this with atom types (2: Y > yc, X < x_up; 3: Y < yc, X < x_down)
and `neigh_modify exclude type 2 3`. This script builds the lattice (same sites
as the LAMMPS input), lists all pairs within the cutoff and prints how the two
sets differ, for the thresholds used in crack_2d.in (x_up = a0/4,
x_down = 3 a0/4) and for the plain choice x_up = x_down = 0.

    python3 scripts/lib/crack_cut_pairs.py [--cutoff 2.5]
"""
import argparse

import numpy as np
from scipy.spatial import cKDTree


def hex_sites(a0, lo, hi):
    """Sites (i + (k mod 2)/2) a0, k a0 sqrt(3)/2 with lo <= x, y < hi."""
    b = a0 * np.sqrt(3.0) / 2.0
    ks = np.arange(int(np.floor(lo / b)) - 1, int(np.ceil(hi / b)) + 2)
    pts = []
    for k in ks:
        y = k * b
        if not (lo <= y < hi):
            continue
        s = 0.5 * (k % 2)
        i = np.arange(int(np.floor(lo / a0)) - 2, int(np.ceil(hi / a0)) + 2)
        x = (i + s) * a0
        x = x[(x >= lo) & (x < hi)]
        pts.append(np.column_stack([x, np.full_like(x, y)]))
    return np.vstack(pts)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a0", type=float, default=1.1132013)
    ap.add_argument("--half", type=float, default=80.0, help="crystal: -half <= x, y < half")
    ap.add_argument("--yc", type=float, default=0.48203030)
    ap.add_argument("--cutoff", type=float, default=2.5)
    ap.add_argument("--x-from", type=float, default=-80.0)
    ap.add_argument("--x-tip", type=float, default=0.0)
    args = ap.parse_args()

    X = hex_sites(args.a0, -args.half, args.half)
    print(f"atoms: {len(X)}")
    pairs = np.array(sorted(cKDTree(X).query_pairs(args.cutoff)))
    xi, yi = X[pairs[:, 0], 0], X[pairs[:, 0], 1]
    xj, yj = X[pairs[:, 1], 0], X[pairs[:, 1], 1]
    print(f"pairs within {args.cutoff}: {len(pairs)}")

    # exact cut: segment i-j crosses the segment (x_from, yc)-(x_tip, yc)
    straddle = (yi - args.yc) * (yj - args.yc) < 0
    w = np.where(straddle, (args.yc - yi) / np.where(straddle, yj - yi, 1.0), 0.0)
    xc = xi + w * (xj - xi)
    cut = straddle & (xc >= args.x_from) & (xc <= args.x_tip)

    print(f"pairs crossing the cut (exact, seam): {cut.sum()}")
    for x_up, x_down in ((0.25 * args.a0, 0.75 * args.a0), (0.0, 0.0)):
        print(f"\n== LAMMPS types: 2 = (Y > yc, X < {x_up:.6f}), 3 = (Y < yc, X < {x_down:.6f})")
        report(args, xi, yi, xj, yj, xc, cut, x_up, x_down)


def report(args, xi, yi, xj, yj, xc, cut, x_up, x_down):
    def typ(x, y):
        return np.where(y > args.yc, np.where(x < x_up, 2, 1), np.where(x < x_down, 3, 1))

    ti, tj = typ(xi, yi), typ(xj, yj)
    excl = ((ti == 2) & (tj == 3)) | ((ti == 3) & (tj == 2))
    print(f"pairs excluded by type 2-3 (LAMMPS):  {excl.sum()}")
    only_cut = cut & ~excl
    only_excl = excl & ~cut
    print(f"cut but not excluded (interact in LAMMPS only): {only_cut.sum()}")
    print(f"excluded but not cut:                           {only_excl.sum()}")
    for name, m in (("cut, not excluded", only_cut), ("excluded, not cut", only_excl)):
        if not m.any():
            continue
        r = np.hypot(xj - xi, yj - yi)[m]
        print(f"  {name}: crossing x in [{xc[m].min():.3f}, {xc[m].max():.3f}], "
              f"atom x in [{min(xi[m].min(), xj[m].min()):.3f}, {max(xi[m].max(), xj[m].max()):.3f}], "
              f"pair length in [{r.min():.3f}, {r.max():.3f}]")
        nn = r < 1.2 * args.a0
        print(f"    nearest-neighbour pairs among them: {nn.sum()}; by reference length:")
        lens, counts = np.unique(np.round(r / args.a0, 4), return_counts=True)
        for L, c in zip(lens, counts):
            print(f"      {L:.4f} a0: {c}")
        print("    pairs (xi, yi) - (xj, yj), crossing x:")
        for k in np.flatnonzero(m):
            print(f"      ({xi[k]:8.4f}, {yi[k]:8.4f}) - ({xj[k]:8.4f}, {yj[k]:8.4f})  x_c = {xc[k]:7.4f}")


if __name__ == "__main__":
    main()
