#!/usr/bin/env python3
"""Crack-tip position from a LAMMPS dump, seam's definition (CrackTip fix).

Definition (src/md/fix/crack_tip.cpp): over nearest-neighbour pairs (reference
distance < 1.2 a0) whose reference segment crosses the crack line y = yc at
x > x_tip (ahead of the initial tip), a pair is broken when its current length
exceeds 1.5 a0; crack_tip_x = the largest crossing x of a broken pair, x_tip
when none is broken. The line is horizontal here (the 2D benchmark's cut).

Subcommands

  tip DUMP [--thermo CSV] [--out CSV]
      DUMP: LAMMPS `dump custom` frames with columns id, current x y and the
      reference positions (default column names f_x0[1] f_x0[2], i.e. a
      `fix x0 all store/state 0 x y`); only the atoms near the crack line are
      needed. Writes step,crack_tip_x, or, with --thermo (a CSV with
      step,time,k_applied,pe,ke), step,time,k_applied,crack_tip_x,pe,ke.

  compare CSV [CSV ...] [--labels A,B]
      Any CSVs with k_applied and crack_tip_x columns (the merged LAMMPS CSV,
      seam's thermo.csv). Prints the K at the first advance (crack_tip_x >
      x_tip + --advance, default 1.11 = one a0) and at crack_tip_x >= x_tip +
      --far (default 5), and crack_tip_x at a list of K values (--at).

Example (tests/reference/README_apps.md):

  python3 scripts/lib/crack_tip.py tip crack_2d_strip.dump \\
      --thermo crack_2d_thermo.csv --out tests/reference/data/crack_2d_lammps.csv
  python3 scripts/lib/crack_tip.py compare tests/reference/data/crack_2d_lammps.csv \\
      /tmp/crack_md_ref/thermo.csv --labels lammps,seam
"""
import argparse
import csv
import sys

import numpy as np
from scipy.spatial import cKDTree


def read_dump(path, ref_cols):
    """Yield (step, ids, cur[n,2], ref[n,2]) per frame of a LAMMPS text dump."""
    with open(path) as f:
        while True:
            line = f.readline()
            if not line:
                return
            if not line.startswith("ITEM: TIMESTEP"):
                continue
            step = int(f.readline())
            f.readline()  # ITEM: NUMBER OF ATOMS
            n = int(f.readline())
            line = f.readline()  # ITEM: BOX BOUNDS ...
            while not line.startswith("ITEM: ATOMS"):
                line = f.readline()
            cols = line.split()[2:]
            rows = np.array([f.readline().split() for _ in range(n)], dtype=float).reshape(n, len(cols))
            c = {name: k for k, name in enumerate(cols)}
            order = np.argsort(rows[:, c["id"]])
            rows = rows[order]
            cur = rows[:, [c["x"], c["y"]]]
            ref = rows[:, [c[ref_cols[0]], c[ref_cols[1]]]]
            yield step, rows[:, c["id"]].astype(np.int64), cur, ref


class TipFinder:
    """Nearest-neighbour pairs crossing y = yc ahead of x_tip, from reference positions."""

    def __init__(self, ref, a0, yc, x_tip):
        self.a0, self.x_tip = a0, x_tip
        pairs = np.array(sorted(cKDTree(ref).query_pairs(1.2 * a0)), dtype=np.int64).reshape(-1, 2)
        yi, yj = ref[pairs[:, 0], 1], ref[pairs[:, 1], 1]
        hi, hj = yi - yc, yj - yc
        cross = ((hi > 0) & (hj < 0)) | ((hi < 0) & (hj > 0))
        pairs = pairs[cross]
        hi, hj = hi[cross], hj[cross]
        w = hi / (hi - hj)  # crossing point X_i + w (X_j - X_i), as in seam
        xc = ref[pairs[:, 0], 0] + w * (ref[pairs[:, 1], 0] - ref[pairs[:, 0], 0])
        ahead = xc > x_tip
        self.pairs, self.xc = pairs[ahead], xc[ahead]

    def __call__(self, cur):
        d = cur[self.pairs[:, 1]] - cur[self.pairs[:, 0]]
        broken = (d * d).sum(axis=1) > 2.25 * self.a0 * self.a0
        return float(self.xc[broken].max()) if broken.any() else self.x_tip


def cmd_tip(args):
    tips = {}
    finder, ids0 = None, None
    for step, ids, cur, ref in read_dump(args.dump, args.ref_cols.split(",")):
        if finder is None:
            finder, ids0 = TipFinder(ref, args.a0, args.yc, args.x_tip), ids
            print(f"{len(ids)} atoms in the dump, {len(finder.pairs)} nearest-neighbour pairs cross "
                  f"y = {args.yc} at x > {args.x_tip} (x in [{finder.xc.min():.4f}, {finder.xc.max():.4f}])",
                  file=sys.stderr)
        elif not np.array_equal(ids, ids0):
            sys.exit(f"step {step}: the dump's atoms changed")
        tips[step] = finder(cur)
    out = open(args.out, "w", newline="") if args.out else sys.stdout
    w = csv.writer(out, lineterminator="\n")
    if args.thermo:
        with open(args.thermo) as f:
            rows = list(csv.DictReader(f))
        w.writerow(["step", "time", "k_applied", "crack_tip_x", "pe", "ke"])
        for r in rows:
            s = int(r["step"])
            if s not in tips:
                sys.exit(f"step {s} of {args.thermo} is not in the dump")
            w.writerow([s, r["time"], r["k_applied"], f"{tips[s]:.8g}", r["pe"], r["ke"]])
    else:
        w.writerow(["step", "crack_tip_x"])
        for s in sorted(tips):
            w.writerow([s, f"{tips[s]:.8g}"])
    if args.out:
        out.close()


def read_k_tip(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    k = np.array([float(r["k_applied"]) for r in rows])
    tip = np.array([float(r["crack_tip_x"]) for r in rows])
    return k, tip


def first_k(k, tip, threshold, strict):
    hit = tip > threshold if strict else tip >= threshold
    return float(k[np.argmax(hit)]) if hit.any() else float("nan")


def cmd_compare(args):
    labels = args.labels.split(",") if args.labels else args.csv
    data = [read_k_tip(p) for p in args.csv]
    ks = [float(v) for v in args.at.split(",")]
    print(f"{'':>24}" + "".join(f"{lab:>12}" for lab in labels))
    print(f"{'K, first tip > %.2f' % (args.x_tip + args.advance):>24}" +
          "".join(f"{first_k(k, t, args.x_tip + args.advance, True):12.2f}" for k, t in data))
    print(f"{'K, first tip >= %.2f' % (args.x_tip + args.far):>24}" +
          "".join(f"{first_k(k, t, args.x_tip + args.far, False):12.2f}" for k, t in data))
    print(f"{'K':>24}" + "".join(f"{lab + ' tip_x':>14}" for lab in labels))
    for K in ks:
        cells = []
        for k, t in data:
            i = int(np.argmin(np.abs(k - K)))
            cells.append(f"{t[i]:12.3f}" if abs(k[i] - K) < 1e-6 else f"{'n/a':>12}")
        print(f"{K:>24g}" + "".join(cells))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a0", type=float, default=1.1132013, help="nearest-neighbour distance")
    ap.add_argument("--yc", type=float, default=0.48203030, help="crack line y")
    ap.add_argument("--x-tip", type=float, default=0.0, help="initial tip x")
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tip")
    t.add_argument("dump")
    t.add_argument("--ref-cols", default="f_x0[1],f_x0[2]", help="dump columns of the reference x, y")
    t.add_argument("--thermo")
    t.add_argument("--out")
    c = sub.add_parser("compare")
    c.add_argument("csv", nargs="+")
    c.add_argument("--labels")
    c.add_argument("--advance", type=float, default=1.11)
    c.add_argument("--far", type=float, default=5.0)
    c.add_argument("--at", default="11,12,12.5,13,13.5,14,14.5,15")
    args = ap.parse_args()
    cmd_tip(args) if args.cmd == "tip" else cmd_compare(args)


if __name__ == "__main__":
    main()
