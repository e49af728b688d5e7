"""The applications' side of scripts/bench/coupled_vs_full_md (--app indent_2d | crack_2d).

For each scale S of --scales, the application's coupled deck (inputs/coupled/APP.yaml) and its full-MD
twin (inputs/coupled/APP_md.yaml) with the whole domain scaled by S around the same MD core, plus (indent)
the same full MD in Debian's LAMMPS (the model of tests/reference/indent_2d.in on the scaled box), run
alternating on one machine; printed: atoms, wall times of the time loops, the speedups of the coupled run
over both full-MD codes, and the application's figure of merit against the seam twin:
  indent_2d  load on the indenter: the largest relative difference over the elastic branch
             (depth 0.75 .. 2.5), and the first pop-in depth (first load drop > 5 % of the running
             maximum), coupled and twin;
  crack_2d   the applied K at the first crack advance (crack_tip_x > 1.11, one bond beyond the initial
             tip) and at an advance of 5 sigma, coupled and twin.
Full MD of more than --max-atoms atoms runs --estimate-steps steps only and its loop time is scaled to the
run's steps (printed "~"); its figure of merit is then not available.
"""
import copy
import math
import os
import re

import yaml

import numpy as np

A0 = 1.1132013
ROW = A0 * math.sqrt(3.0) / 2
YC = ROW / 2


def load(root, name):
    with open(os.path.join(root, "inputs", "coupled", name)) as f:
        return yaml.safe_load(f)


def dump(deck, path):
    with open(path, "w") as f:
        yaml.safe_dump(deck, f, default_flow_style=None, sort_keys=False)
    return path


def n_atoms_box(lo, hi):
    return int((hi[0] - lo[0]) * (hi[1] - lo[1]) / (A0 * ROW))


# ----------------------------------------------------------------------------------------------------
def indent_decks(root, S, steps, out):
    c, t = load(root, "indent_2d.yaml"), load(root, "indent_2d_md.yaml")
    half_x, depth = 100.0 * S, 60.0 * S
    t["md"]["region"] = {"lo": [-half_x, -depth], "hi": [half_x, 0.5]}
    c["fe"]["domain"] = {"lo": [-(half_x - 6), -(depth - 6)], "hi": [half_x - 6, 0.5]}
    c["fe"]["element_size"]["far"] = 8.0 * S
    for d, name in ((c, "coupled"), (t, "twin")):
        d["run"]["steps"] = steps
        d["output"] = {"directory": os.path.join(out, name), "thermo_every": 200, "fields_every": 0}
    return c, t


def indent_lammps(S, steps, csv):
    half_x, depth = 100.0 * S, 60.0 * S
    return """units lj
dimension 2
atom_style atomic
boundary s s p
lattice hex {rho:.12g} origin 0 0 0
region box block {bx0} {bx1} {by0} 20 -0.5 0.5 units box
create_box 1 box
region xtal block {x0} {x1} {y0} 0.5 -0.5 0.5 units box
create_atoms 1 region xtal
mass 1 1.0
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0
neighbor 0.3 bin
neigh_modify every 1 delay 0 check yes
timestep 0.005
region hxlo block INF {hx0} INF INF INF INF units box
region hxhi block {hx1} INF INF INF INF INF units box
region hylo block INF INF INF {hy0} INF INF units box
group held union_region_placeholder
fix int mobile nve
fix 2d all enforce2d
variable t equal step*dt
variable yc equal 10.5-0.01*v_t
variable depth equal 0.01*v_t
fix ind mobile indent 1000.0 cylinder z 0.0 v_yc 10.0 units box
variable fy equal f_ind[2]
fix out all print 200 "$(step),$(v_t),$(v_depth),$(v_fy)" file {csv} screen no title "step,time,indent_depth,indent_force_y"
thermo 10000
run {steps}
""".format(rho=2.0 / (math.sqrt(3.0) * A0 * A0), bx0=-half_x - 10, bx1=half_x + 10, by0=-depth - 10,
           x0=-half_x, x1=half_x, y0=-depth, hx0=-half_x + 6, hx1=half_x - 6, hy0=-depth + 6, csv=csv,
           steps=steps).replace(
        "group held union_region_placeholder",
        "group hxlo region hxlo\ngroup hxhi region hxhi\ngroup hylo region hylo\n"
        "group held union hxlo hxhi hylo\ngroup mobile subtract all held")


def popin(depth, load):
    running = 0.0
    for h, f in zip(depth, load):
        if running > 5 and f < 0.95 * running:
            return h
        running = max(running, f)
    return float("nan")


def indent_merit(coupled_csv, twin_csv):
    a = np.genfromtxt(coupled_csv, delimiter=",", names=True)
    b = np.genfromtxt(twin_csv, delimiter=",", names=True)
    top = min(2.5, a["indent_depth"][-1], b["indent_depth"][-1])
    if top <= 0.75:
        return "n/a (the run stops before depth 0.75)"
    grid = np.linspace(0.75, top, 36)
    fa = np.interp(grid, a["indent_depth"], a["indent_force_y"])
    fb = np.interp(grid, b["indent_depth"], b["indent_force_y"])
    pa, pb = popin(a["indent_depth"], a["indent_force_y"]), popin(b["indent_depth"], b["indent_force_y"])
    return "load diff max %.2f %% (depth 0.75-%.2f); pop-in %.3f vs twin %.3f (%+.1f %%)" % (
        100 * np.max(np.abs(fa - fb) / fb), top, pa, pb, 100 * (pa - pb) / pb)


# ----------------------------------------------------------------------------------------------------
def crack_decks(root, S, steps, out):
    c, t = load(root, "crack_2d.yaml"), load(root, "crack_2d_md.yaml")
    half = 80.0 * S
    t["md"]["region"] = {"lo": [-half, -half], "hi": [half, half]}
    t["md"]["cut"] = [{"from": [-half, YC], "to": [0, YC]}]
    c["fe"]["domain"] = {"lo": [-half, -half], "hi": [half, half]}
    c["fe"]["element_size"]["far"] = 8.0 * S
    c["md"]["region"]["lo"][0] = -half
    c["md"]["cut"] = [{"from": [-half, YC], "to": [0, YC]}]
    for d, name in ((c, "coupled"), (t, "twin")):
        d["run"]["steps"] = steps
        d["output"] = {"directory": os.path.join(out, name), "thermo_every": 200, "fields_every": 0}
    return c, t


def k_at(csv, advance):
    a = np.genfromtxt(csv, delimiter=",", names=True)
    hit = np.nonzero(a["crack_tip_x"] > advance)[0]
    return a["k_applied"][hit[0]] if len(hit) else float("nan")


def crack_merit(coupled_csv, twin_csv):
    k1c, k1t = k_at(coupled_csv, 1.11), k_at(twin_csv, 1.11)
    k5c, k5t = k_at(coupled_csv, 5.0), k_at(twin_csv, 5.0)
    return "K at first advance %.2f vs twin %.2f (%+.1f %%); at 5 sigma %.2f vs %.2f (%+.1f %%)" % (
        k1c, k1t, 100 * (k1c - k1t) / k1t, k5c, k5t, 100 * (k5c - k5t) / k5t)


APPS = {
    "indent_2d": {"decks": indent_decks, "lammps": indent_lammps, "merit": indent_merit, "steps": 80000,
                  "atoms": lambda S: n_atoms_box([-100 * S, -60 * S], [100 * S, 0.5])},
    "crack_2d": {"decks": crack_decks, "lammps": None, "merit": crack_merit, "steps": 86000,
                 "atoms": lambda S: n_atoms_box([-80 * S, -80 * S], [80 * S, 80 * S])},
}


def main_app(args, root, exe, work, seam_run_path, lammps_run_path, fmt_t):
    """seam_run_path(np, deck_path) and lammps_run_path(np, input_path) return the parsed summaries."""
    app = APPS[args.app]
    steps = args.app_steps or app["steps"]
    print("application %s: %d MD steps, np %d, work %s" % (args.app, steps, args.np, work), flush=True)
    rows = []
    for S in [float(s) for s in args.scales.split(",") if s]:
        out = os.path.join(work, "%s_x%g" % (args.app, S))
        os.makedirs(out, exist_ok=True)
        c, t = app["decks"](root, S, steps, out)
        n_full = app["atoms"](S)
        est = n_full > args.max_atoms
        if est:
            t = copy.deepcopy(t)
            t["run"]["steps"] = args.estimate_steps
        rc = seam_run_path(args.np, dump(c, os.path.join(out, "coupled.yaml")))
        rt = seam_run_path(args.np, dump(t, os.path.join(out, "twin.yaml")))
        twin_loop = rt["loop"] * (steps / rt["steps"])
        lmp = None
        if app["lammps"] and not args.no_lammps:
            path = os.path.join(out, "lammps.in")
            with open(path, "w") as f:
                f.write(app["lammps"](S, args.estimate_steps if est else steps, os.path.join(out, "lammps.csv")))
            rl = lammps_run_path(args.np, path)
            lmp = rl["loop"] * (steps / rl["steps"])
        merit = "n/a (twin estimated)" if est else app["merit"](os.path.join(out, "coupled", "thermo.csv"),
                                                                os.path.join(out, "twin", "thermo.csv"))
        rows.append((S, rc["atoms"], rt["atoms"], rc["loop"], twin_loop, lmp, est, merit))
        print("  x%g: coupled %d atoms %.2f s | seam full MD %d atoms %s s | LAMMPS %s s | speedup %.1fx (seam), %s"
              " (LAMMPS) | %s" % (S, rc["atoms"], rc["loop"], rt["atoms"], fmt_t(twin_loop, est),
                                  "-" if lmp is None else fmt_t(lmp, est), twin_loop / rc["loop"],
                                  "-" if lmp is None else "%.1fx" % (lmp / rc["loop"]), merit), flush=True)
    print()
    print("%-6s %9s %10s %12s %12s %12s %9s %9s  %s" % ("scale", "core", "full MD", "coupled [s]", "seam MD [s]",
                                                       "LAMMPS [s]", "vs seam", "vs LMP", "figure of merit"))
    for S, ca, ta, cl, tl, ll, est, merit in rows:
        print("%-6g %9d %10d %12.2f %12s %12s %8.1fx %9s  %s" % (
            S, ca, ta, cl, fmt_t(tl, est), "-" if ll is None else fmt_t(ll, est), tl / cl,
            "-" if ll is None else "%.1fx" % (ll / cl), merit))
