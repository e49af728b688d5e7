#!/usr/bin/env python3
"""Quasistatic indentation (run.style: quasistatic, inputs/md_indent_2d_quasistatic.yaml) against Debian
LAMMPS' `minimize` with min_style fire on the same crystal, indenter and load steps
(tests/reference/indent_2d_quasistatic.in, its table in tests/reference/data).

Both relax every load step until no atom's force exceeds 1e-4 epsilon/sigma. A relaxed state differs from
the exact minimum by about |F| / k per atom (k ~ 60 epsilon/sigma^2 for the nearest-neighbour bond), so the
load, a sum over the ~20 atoms under the disc of K (R - r)^2 with K = 1000, agrees to about
20 x 2 K R dr ~ 1e-2 absolute; measured: within 0.1 % relative from load 0.7 on. Asserted:
  - the load within 0.5 % (relative) at every load step where it exceeds 0.5;
  - the pop-ins (a load drop of more than 10 %) at the same load steps;
  - the potential energy within 0.05 epsilon (of -7346; the minima after the second pop-in differ by
    0.033 epsilon, every other load step by < 4e-6);
  - every recorded load step at rest: max_force <= 1e-4 and no kinetic energy.
usage: check_quasistatic.py RUN_DIR REFERENCE_CSV
"""
import sys

import numpy as np


def main():
    run, ref = sys.argv[1], sys.argv[2]
    a = np.genfromtxt(f"{run}/thermo.csv", delimiter=",", names=True)
    b = np.genfromtxt(ref, delimiter=",", names=True)
    problems = []
    if len(a) != len(b):
        problems.append(f"{len(a)} thermo rows, the reference has {len(b)} load steps")
    n = min(len(a), len(b))
    if np.any(a["time"][:n] != b["step"][:n]):
        problems.append("time is not the load step number")
    if np.any(np.abs(a["indent_depth"][:n] - b["indent_depth"][:n]) > 1e-9):
        problems.append("indent_depth differs from 0.05 x load step")
    fa, fb = a["indent_force_y"][:n], b["indent_force_y"][:n]
    worst = 0.0
    for k in range(n):
        if fb[k] > 0.5:
            rel = abs(fa[k] - fb[k]) / fb[k]
            worst = max(worst, rel)
            if rel > 5e-3:
                problems.append(f"load step {k}: load {fa[k]:.6g}, LAMMPS {fb[k]:.6g} ({100 * rel:.3g} % > 0.5 %)")
    drops = lambda f: [k for k in range(1, len(f)) if f[k] < 0.9 * f[k - 1]]
    if drops(fa) != drops(fb):
        problems.append(f"pop-ins (load drops > 10 %) at load steps {drops(fa)}, LAMMPS {drops(fb)}")
    de = np.max(np.abs(a["pe_atoms"][:n] - b["pe"][:n]))
    if de > 0.05:
        problems.append(f"potential energy differs by up to {de:.3g} epsilon (> 0.05)")
    if np.any(a["max_force"][:n] > 1e-4) or np.any(a["ke_atoms"][:n] != 0):
        problems.append("a recorded load step is not at rest (max_force > 1e-4 or ke_atoms != 0)")
    for p in problems:
        print("FAIL:", p)
    if problems:
        return 1
    print(f"quasistatic indentation: {n} load steps, load within {100 * worst:.3g} % of LAMMPS (load > 0.5), "
          f"pop-ins at load steps {drops(fa)} as LAMMPS, energy within {de:.2g} epsilon")
    return 0


if __name__ == "__main__":
    sys.exit(main())
