"""Checks of coupled runs from their output (atoms_<step>.h5 frames and thermo.csv). Needs h5py/numpy
(Debian python3-h5py, python3-numpy). Every check prints what it measured and exits non-zero on failure.

  rest DIR TOL              every atom's displacement stays below TOL in every frame (lattice at rest)
  affine DIR G TOL          |u - G X| <= TOL for every atom and frame; G = d*d comma-separated numbers
                            (row-major: u_i = G_ij X_j)
  relaxed DIR G TOL         |u - G X| <= TOL for every atom in the LAST frame (the relaxed state of a run
                            damped to rest, e.g. by a T = 0 md.thermostat)
  drift THERMO TOL [COL]    |E(t) - E(0)| / max|e_md, e_handshake, e_fe|(0) <= TOL for E = e_total + e_damped
  drift_within THERMO REF FACTOR
                            the drift measure above for THERMO is at most FACTOR times that of the
                            reference run REF (e.g. an FE-only run with the same time step)
  twin DIR DIR_MD LO HI TMAX TOL
                            relative L2 error of the displacement of the atoms whose site lies in the box
                            [LO, HI] (comma-separated), coupled vs full-MD twin matched by site, over the
                            frames with time <= TMAX: sqrt(sum |u - u_md|^2 / sum |u_md|^2) <= TOL
  same THERMO THERMO2 TOL   the energies of two runs (ke_atoms, pe_atoms and every e_* column) agree to TOL
                            relative (of the largest |e|; pe_atoms: of |pe_atoms|)
  reflect THERMO STEP FRAC  the energy left in md.region at STEP, (e_md + e_handshake) / e_total(0) <= FRAC
  temperatures THERMO T TSTART TOL
                            finite temperature: the means over time >= TSTART of temperature_core and of
                            temperature_band agree to TOL relative, and the band's is within TOL of T
  heat DIR DIR_MD HALF T0 T1 TOL
                            a heat pulse leaving the core: the kinetic energy of the atoms with |X_i| < HALF on
                            every axis, coupled and full-MD twin, decays at the same rate: the slopes of
                            log(KE) fitted over T0 <= t <= T1 agree to TOL relative
"""
import csv
import glob
import os
import sys

import h5py
import numpy as np


def frames(directory):
    out = []
    for path in sorted(glob.glob(os.path.join(directory, "atoms_*.h5"))):
        with h5py.File(path, "r") as f:
            step = int(os.path.basename(path)[6:14])
            out.append((step, f["reference_position"][...], f["displacement"][...]))
    if not out:
        sys.exit(f"no atoms_*.h5 frames in {directory}")
    return out


def thermo(path):
    rows = list(csv.DictReader(open(path)))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


def rest(directory, tol):
    worst = max(np.abs(u).max() for _, _, u in frames(directory))
    print(f"rest: max |u| over all frames = {worst:.3e} (limit {tol:.1e})")
    return worst <= tol


def affine(directory, g, tol):
    g = np.array([float(v) for v in g.split(",")])
    d = int(round(np.sqrt(len(g))))
    G = np.zeros((3, 3))
    G[:d, :d] = g.reshape(d, d)
    worst = 0.0
    for step, X, u in frames(directory):
        worst = max(worst, np.abs(u - X @ G.T).max())
    print(f"affine: max |u - G X| over all frames = {worst:.3e} (limit {tol:.1e})")
    return worst <= tol


def relaxed(directory, g, tol):
    g = np.array([float(v) for v in g.split(",")])
    d = int(round(np.sqrt(len(g))))
    G = np.zeros((3, 3))
    G[:d, :d] = g.reshape(d, d)
    step, X, u = frames(directory)[-1]
    err = np.linalg.norm(u - X @ G.T, axis=1)
    i = int(np.argmax(err))
    print(f"relaxed: max |u - G X| at step {step} = {err[i]:.3e} at X = {X[i]} "
          f"(mean {err.mean():.2e}, limit {tol:.3e})")
    return err[i] <= tol


def drift_measure(path):
    t = thermo(path)
    e = t["e_total"] + t["e_damped"]
    scale = max(abs(t[k][0]) for k in ("e_md", "e_handshake", "e_fe"))
    scale = max(scale, abs(t["e_total"][0]))
    return np.abs(e - e[0]).max() / scale, int(t["step"][-1])


def drift(path, tol):
    worst, steps = drift_measure(path)
    print(f"drift: max |E - E0| / E0 = {worst:.3e} over {steps} steps (limit {tol:.1e})")
    return worst <= tol


def drift_within(path, ref, factor):
    worst, steps = drift_measure(path)
    ref_worst, ref_steps = drift_measure(ref)
    print(f"drift: max |E - E0| / E0 = {worst:.3e} over {steps} steps; reference {ref_worst:.3e} over "
          f"{ref_steps} steps; ratio {worst / ref_worst:.3f} (limit {factor})")
    return worst <= factor * ref_worst


def twin(directory, md_directory, lo, hi, tmax, tol):
    lo = np.array([float(v) for v in lo.split(",")])
    hi = np.array([float(v) for v in hi.split(",")])
    a = {s: (X, u) for s, X, u in frames(directory)}
    b = {s: (X, u) for s, X, u in frames(md_directory)}
    steps = sorted(set(a) & set(b))
    t = thermo(os.path.join(directory, "thermo.csv"))
    dt = {int(s): tt for s, tt in zip(t["step"], t["time"])}
    num = den = 0.0
    used = 0
    for s in steps:
        if s not in dt or dt[s] > tmax:
            continue
        Xa, ua = a[s]
        Xb, ub = b[s]
        d = len(lo)
        ka = {tuple(np.round(x[:d], 6)): i for i, x in enumerate(Xa)
              if np.all(x[:d] >= lo) and np.all(x[:d] <= hi)}
        idx_a, idx_b = [], []
        for j, x in enumerate(Xb):
            i = ka.get(tuple(np.round(x[:d], 6)))
            if i is not None:
                idx_a.append(i)
                idx_b.append(j)
        if len(idx_a) != len(ka):
            sys.exit(f"twin: step {s}: only {len(idx_a)} of {len(ka)} core atoms found in the MD twin")
        n1 = ((ua[idx_a] - ub[idx_b]) ** 2).sum()
        d1 = (ub[idx_b] ** 2).sum()
        print(f"  step {s}: |u - u_md| / |u_md| = {np.sqrt(n1 / d1) if d1 > 0 else 0:.3e}")
        num += n1
        den += d1
        used += 1
    err = np.sqrt(num / den)
    print(f"twin: relative L2 error of the core displacements over {used} frames (t <= {tmax}) = {err:.3e} "
          f"(limit {tol:.1e})")
    return used > 1 and err <= tol


def same(p1, p2, tol):
    a, b = thermo(p1), thermo(p2)
    cols = ["ke_atoms", "pe_atoms", "e_md", "e_handshake", "e_fe", "e_damped", "e_total"]
    scale = max(np.abs(a[c]).max() for c in cols if c != "pe_atoms")
    worst = max(np.abs(a[c] - b[c]).max() / (scale if c != "pe_atoms" else np.abs(a[c]).max()) for c in cols)
    print(f"same: max relative difference of the energies = {worst:.3e} (limit {tol:.1e})")
    return len(a["step"]) == len(b["step"]) and worst <= tol


def reflect(path, step, frac):
    t = thermo(path)
    i = list(t["step"].astype(int)).index(step)
    left = (t["e_md"][i] + t["e_handshake"][i]) / t["e_total"][0]
    print(f"reflect: energy left in md.region at step {step} = {left:.3e} of the initial energy (limit {frac:.1e})")
    return left <= frac


def temperatures(path, target, t_start, tol):
    t = thermo(path)
    keep = t["time"] >= t_start
    core, band = t["temperature_core"][keep].mean(), t["temperature_band"][keep].mean()
    print(f"temperatures: over {keep.sum()} rows with t >= {t_start}: mean core {core:.5g}, mean band {band:.5g} "
          f"(core / band - 1 = {core / band - 1:+.3%}, band / T - 1 = {band / target - 1:+.3%}, limit {tol:.1%})")
    return keep.sum() > 2 and abs(core / band - 1) <= tol and abs(band / target - 1) <= tol


def core_kinetic(directory, half):
    out = []
    for path in sorted(glob.glob(os.path.join(directory, "atoms_*.h5"))):
        with h5py.File(path, "r") as f:
            X, v = f["reference_position"][...], f["velocity"][...]
            inside = np.all(np.abs(X) < half, axis=1)
            out.append((int(os.path.basename(path)[6:14]), 0.5 * (v[inside] ** 2).sum()))
    if not out:
        sys.exit(f"no atoms_*.h5 frames in {directory}")
    return dict(out)


def heat(directory, md_directory, half, t0, t1, tol):
    a, b = core_kinetic(directory, half), core_kinetic(md_directory, half)
    t = thermo(os.path.join(directory, "thermo.csv"))
    dt = t["time"][1] / t["step"][1]
    steps = [s for s in sorted(set(a) & set(b)) if t0 <= s * dt <= t1]
    time = np.array([s * dt for s in steps])
    slope = [np.polyfit(time, np.log([k[s] for s in steps]), 1)[0] for k in (a, b)]
    for s in steps:
        print(f"  t = {s * dt:6.2f}: core kinetic energy coupled {a[s]:.5g}, full MD {b[s]:.5g} (ratio {a[s] / b[s]:.3f})")
    print(f"heat: cooling rate -d ln(KE)/dt over {t0} <= t <= {t1} ({len(steps)} frames): coupled {-slope[0]:.5g}, "
          f"full MD {-slope[1]:.5g} (ratio {slope[0] / slope[1]:.3f}, limit {tol:.0%})")
    return len(steps) > 2 and slope[1] < 0 and abs(slope[0] / slope[1] - 1) <= tol


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    ok = {
        "rest": lambda: rest(args[0], float(args[1])),
        "affine": lambda: affine(args[0], args[1], float(args[2])),
        "relaxed": lambda: relaxed(args[0], args[1], float(args[2])),
        "drift": lambda: drift(args[0], float(args[1])),
        "drift_within": lambda: drift_within(args[0], args[1], float(args[2])),
        "twin": lambda: twin(args[0], args[1], args[2], args[3], float(args[4]), float(args[5])),
        "same": lambda: same(args[0], args[1], float(args[2])),
        "reflect": lambda: reflect(args[0], int(args[1]), float(args[2])),
        "temperatures": lambda: temperatures(args[0], float(args[1]), float(args[2]), float(args[3])),
        "heat": lambda: heat(args[0], args[1], float(args[2]), float(args[3]), float(args[4]), float(args[5])),
    }[cmd]()
    sys.exit(0 if ok else 1)
