"""Checkpoint/restart of an MD-only, FE-only or coupled run, through the real executable (issue 14 points 1-3):

  exact    a run stopped at its run.steps (the end-of-run checkpoint) and continued with run.restart equals
           the uninterrupted run bit for bit: thermo.csv byte for byte, atoms.xdmf and every atom frame after
           the checkpoint, and every dataset of the final checkpoint (positions, velocities, forces, images,
           the thermostat's force and work tally, counters; a coupled run's band state), and the LAMMPS dump.
  signal   SIGUSR1 to the launcher (forwarded to the ranks) and SIGTERM to the ranks: the job writes a
           checkpoint, prints the resume command and exits 0; resuming it ends where the uninterrupted run does.
  kill     SIGKILL of the whole job while it writes its second checkpoint (SEAM_TEST_CHECKPOINT_SLEEP keeps
           it inside the write): checkpoint.h5 is the complete first one, and resuming from it again ends
           bit for bit where the uninterrupted run does.

Usage: check_restart.py --seam SEAM --deck DECK --out DIR [--signal] [--kill] -- LAUNCH PREFIX...
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

import h5py
import numpy as np


def fail(msg):
    sys.exit("check_restart: " + msg)


def run(cmd, out, env=None, expect=0):
    with open(out + ".log", "w") as log:
        rc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, timeout=300).returncode
    if rc != expect:
        fail(f"{' '.join(cmd)} exited {rc}, expected {expect}; see {out}.log:\n" + open(out + ".log").read()[-3000:])


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def same_h5(a, b, what, skip=()):
    da, db = datasets(a), datasets(b)
    if sorted(da) != sorted(db):
        fail(f"{what}: datasets differ: {sorted(set(da) ^ set(db))}")
    n = 0
    for k in da:
        if any(s in k for s in skip):
            continue
        x, y = np.asarray(da[k]), np.asarray(db[k])
        if x.shape != y.shape or x.dtype != y.dtype or x.tobytes() != y.tobytes():
            diff = np.max(np.abs(x.astype(float) - y.astype(float))) if x.shape == y.shape else "shape"
            fail(f"{what}: dataset {k} is not bitwise equal ({a} vs {b}; max |diff| {diff})")
        n += 1
    return n


def same_text(a, b, what):
    ta, tb = open(a).read(), open(b).read()
    if ta != tb:
        la, lb = ta.splitlines(), tb.splitlines()
        for i, (x, y) in enumerate(zip(la, lb)):
            if x != y:
                fail(f"{what}: {a} and {b} differ first at line {i + 1}:\n  {x}\n  {y}")
        fail(f"{what}: {a} has {len(la)} lines, {b} {len(lb)}")


def compare_runs(ref, got, steps_after, what):
    same_text(f"{ref}/thermo.csv", f"{got}/thermo.csv", what + " thermo.csv")
    for series in ("atoms", "continuum"):
        if not os.path.exists(f"{ref}/{series}.xdmf"):
            continue
        same_text(f"{ref}/{series}.xdmf", f"{got}/{series}.xdmf", f"{what} {series}.xdmf")
        for s in steps_after:
            same_h5(f"{ref}/{series}_{s:08d}.h5", f"{got}/{series}_{s:08d}.h5", f"{what} {series} frame {s}")
    if os.path.exists(f"{ref}/atoms.lammpstrj"):
        same_text(f"{ref}/atoms.lammpstrj", f"{got}/atoms.lammpstrj", what + " atoms.lammpstrj")
    # The final states (every dataset of /state, bitwise).
    n = same_h5(f"{ref}/checkpoint.h5", f"{got}/checkpoint.h5", what + " final checkpoint")
    print(f"{what}: thermo.csv, frames {list(steps_after)} and {n} checkpoint datasets bitwise equal")


def node_order(ref):
    """Nodes sorted by reference position (x, then y, then z), rounded so that round-off in the
    coordinates does not reorder them; a node shared by several FE ranks' files appears once per copy,
    and copies sort next to each other."""
    key = np.round(np.asarray(ref, dtype=float), 9)
    return np.lexsort(key.T[::-1])


def checkpoint_step(path):
    with h5py.File(path, "r") as f:
        return int(f.attrs["checkpoint_step"])


def wait_for(predicate, proc, what, limit=120):
    t0 = time.time()
    while not predicate():
        if proc.poll() is not None:
            fail(f"the job ended (exit {proc.returncode}) before {what}")
        if time.time() - t0 > limit:
            fail(f"timeout waiting for {what}")
        time.sleep(0.02)


def thermo_rows(path):
    try:
        with open(path) as f:
            return sum(1 for _ in f) - 1
    except OSError:
        return 0


def np_flag(launch):
    """The launcher's rank-count option (mpiexec -n N or mpirun -np N), or None."""
    return next((f for f in ("-np", "-n") if f in launch), None)


def with_np(launch, np):
    i = launch.index(np_flag(launch))
    return launch[:i + 1] + [str(np)] + launch[i + 2:]


def across(seam, launch, a, ref):
    """The step-100 checkpoint continued on one rank more and one fewer (a coupled deck of np 2 = 1 MD +
    1 FE: on 1 MD + 2 FE and 2 MD + 1 FE ranks): thermo.csv and the atom frames agree with the
    uninterrupted run to 1e-10 of each column's (field's) largest magnitude (only the order of sums
    differs)."""
    if not np_flag(launch):
        print("across rank counts: skipped (no -n/-np in the launch command)")
        return
    np0 = int(launch[launch.index(np_flag(launch)) + 1])
    base = f"{a.out}/across"
    run(seam + ["--set", f"output.directory={base}", "--set", "run.steps=100"], base)
    if "coupled" in a.deck:
        variants = [(np0 + 1, ["--set", f"parallel.md_ranks={m}"]) for m in (1, 2)] if np0 == 2 else []
    else:
        variants = [(n, []) for n in sorted({np0 + 1, max(1, np0 - 1)} - {np0})]
    for np_, split in variants:
        got = f"{a.out}/across_np{np_}{'_' + split[1] if split else ''}"
        shutil.copytree(base, got)
        cmd = with_np(launch, np_) + seam[len(launch):] + split
        run(cmd + ["--set", f"output.directory={got}", "--set", f"run.restart={got}/checkpoint.h5"], got)
        x = np.genfromtxt(f"{ref}/thermo.csv", delimiter=",", names=True)
        y = np.genfromtxt(f"{got}/thermo.csv", delimiter=",", names=True)
        if x.shape != y.shape:
            fail(f"np {np0} -> {np_}: thermo.csv has {y.shape} rows, the uninterrupted run {x.shape}")
        worst = 0.0
        for n in x.dtype.names:
            scale = np.max(np.abs(x[n]))
            d = np.max(np.abs(x[n] - y[n])) / scale if scale > 0 else np.max(np.abs(y[n]))
            if d > 1e-10:
                fail(f"np {np0} -> {np_}: thermo column {n} differs by {d:.3g} of its largest value (> 1e-10)")
            worst = max(worst, d)
        # Atoms are matched by id; another FE partition numbers the nodes differently, so nodes are matched
        # by reference position.
        series = {"atoms": (lambda f: np.argsort(f["id"].ravel()), ("displacement", "velocity")),
                  "continuum": (lambda f: node_order(f["reference_position"]), ("displacement", "velocity", "weight"))}
        counted = {}
        for name, (order, fields) in series.items():
            counted[name] = 0
            for s in (150, 200, 250, 300):
                fa, fb = f"{ref}/{name}_{s:08d}.h5", f"{got}/{name}_{s:08d}.h5"
                if not os.path.exists(fa):
                    continue
                if not os.path.exists(fb):
                    fail(f"np {np0} -> {np_}: {fb} missing (the uninterrupted run wrote {fa})")
                da, db = datasets(fa), datasets(fb)
                oa, ob = order(da), order(db)
                if name == "continuum":
                    ra, rb = da["reference_position"][oa], db["reference_position"][ob]
                    if ra.shape != rb.shape or np.max(np.abs(ra - rb)) > 1e-9 * max(np.max(np.abs(ra)), 1.0):
                        fail(f"np {np0} -> {np_}: continuum nodes at step {s} differ ({ra.shape} vs {rb.shape})")
                for k in fields:
                    u, w = da[k][oa], db[k][ob]
                    d = np.max(np.abs(u - w)) / max(np.max(np.abs(u)), 1e-300)
                    if d > 1e-10:
                        fail(f"np {np0} -> {np_}: {name} {k} at step {s} differs by {d:.3g} of its largest value")
                    worst = max(worst, d)
                counted[name] += 1
        frames, nodes = counted["atoms"], counted["continuum"]
        print(f"restart on np {np0} -> {np_} {' '.join(split[1:])}: thermo.csv, {frames} atom frames and "
              f"{nodes} continuum frames within {worst:.2g} (<= 1e-10)")


def refused(seam, launch, a, got):
    """Restarts that cannot continue the checkpoint: one message naming the fix, exit 1 on every rank,
    no process left, and the checkpoint untouched."""
    ckpt = f"{got}/checkpoint.h5"
    before = open(ckpt, "rb").read()
    cases = [("run.steps at the checkpoint", seam, ["--set", "run.steps=300"], "ends there or before")]
    if "coupled" in a.deck:
        cases.append(("another window length", seam, ["--set", "coupling.substeps=2", "--set", "run.steps=400"], "to continue this checkpoint"))
    for what, cmd, extra, expect in cases:
        out = f"{a.out}/refused_{len(expect)}"
        p = subprocess.Popen(cmd + ["--set", f"output.directory={out}", "--set", f"run.restart={ckpt}"] + extra,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        text, _ = p.communicate(timeout=120)
        if p.returncode != 1 or expect not in text or text.count("seam: ") != 1:
            fail(f"restart with {what}: exit {p.returncode}, expected 1 and one message with '{expect}':\n{text[-2000:]}")
        left = subprocess.run(["pgrep", "-g", str(p.pid)], capture_output=True, text=True).stdout.split()
        if left:
            fail(f"restart with {what}: processes left: {left}")
        print(f"restart with {what}: refused (exit 1, one message: '{expect}')")
    if open(ckpt, "rb").read() != before:
        fail("a refused restart changed the checkpoint")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seam", required=True)
    ap.add_argument("--deck", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--signal", action="store_true")
    ap.add_argument("--kill", action="store_true")
    ap.add_argument("launch", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    launch = [x for x in a.launch if x != "--"]
    shutil.rmtree(a.out, ignore_errors=True)
    os.makedirs(a.out)
    seam = launch + [a.seam, "run", a.deck, "-q"]
    ref = f"{a.out}/uninterrupted"
    # The deck: 300 steps, thermo every 10, frames every 50, checkpoints every 100.
    run(seam + ["--set", f"output.directory={ref}"], ref)
    if checkpoint_step(f"{ref}/checkpoint.h5") != 300:
        fail("the end-of-run checkpoint is not at step 300")

    if not a.signal and not a.kill:
        got = f"{a.out}/restarted"
        run(seam + ["--set", f"output.directory={got}", "--set", "run.steps=100"], got + "_1")
        run(seam + ["--set", f"output.directory={got}", "--set", f"run.restart={got}/checkpoint.h5"], got + "_2")
        compare_runs(ref, got, [150, 200, 250, 300], "restart at step 100")
        across(seam, launch, a, ref)
        refused(seam, launch, a, got)

    if a.signal:
        # Long enough to be signalled while running; the reference for it runs as long.
        steps = 4000
        ref_long = f"{a.out}/uninterrupted_long"
        run(seam + ["--set", f"output.directory={ref_long}", "--set", f"run.steps={steps}",
                    "--set", "output.fields_every=0"], ref_long)
        for sig, to_launcher in ((signal.SIGUSR1, True), (signal.SIGTERM, False)):
            got = f"{a.out}/signal_{sig.name}"
            with open(got + ".log", "w") as log:
                p = subprocess.Popen(seam + ["--set", f"output.directory={got}", "--set", f"run.steps={steps}",
                                             "--set", "output.fields_every=0"],
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
                wait_for(lambda: thermo_rows(f"{got}/thermo.csv") >= 3, p, "the third thermo row")
                if to_launcher:
                    p.send_signal(sig)  # mpirun forwards SIGUSR1 to the ranks
                else:
                    kids = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
                    for k in kids:
                        os.kill(int(k), sig)  # the ranks (mpirun itself would exit 1 on SIGTERM)
                rc = p.wait(timeout=120)
            text = open(got + ".log").read()
            if rc != 0:
                fail(f"{sig.name}: the job exited {rc}, expected 0:\n{text[-2000:]}")
            if f"stopped by {sig.name}" not in text or "resume with: seam run" not in text:
                fail(f"{sig.name}: no 'stopped by {sig.name}' and resume command in the output:\n{text[-2000:]}")
            stop = checkpoint_step(f"{got}/checkpoint.h5")
            if not 0 < stop < steps:
                fail(f"{sig.name}: checkpoint at step {stop}, expected inside the run")
            print(f"{sig.name}: the job stopped at step {stop} with exit 0 and the resume command")
            run(seam + ["--set", f"output.directory={got}", "--set", f"run.steps={steps}", "--set",
                        "output.fields_every=0", "--set", f"run.restart={got}/checkpoint.h5"], got + "_resumed")
            compare_runs(ref_long, got, [], f"{sig.name} at step {stop} and resumed")

    if a.kill:
        got = f"{a.out}/killed"
        env = dict(os.environ, SEAM_TEST_CHECKPOINT_SLEEP="3")
        with open(got + ".log", "w") as log:
            p = subprocess.Popen(seam + ["--set", f"output.directory={got}"], stdout=log, stderr=subprocess.STDOUT,
                                 env=env, start_new_session=True)
            # The first checkpoint (step 100) completes after its sleep; kill inside the second one's write.
            wait_for(lambda: os.path.exists(f"{got}/checkpoint.h5"), p, "the first checkpoint")
            wait_for(lambda: os.path.exists(f"{got}/checkpoint.h5.tmp"), p, "the second checkpoint's write")
            time.sleep(0.5)
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=60)
        time.sleep(0.5)
        left = subprocess.run(["pgrep", "-g", str(p.pid)], capture_output=True, text=True).stdout.split()
        if left:
            fail(f"processes left after SIGKILL of the job: {left}")
        stop = checkpoint_step(f"{got}/checkpoint.h5")
        if stop != 100:
            fail(f"after SIGKILL inside the step-200 write, checkpoint.h5 is at step {stop}, expected 100")
        print("SIGKILL inside the step-200 checkpoint write: checkpoint.h5 is the complete step-100 one")
        run(seam + ["--set", f"output.directory={got}", "--set", f"run.restart={got}/checkpoint.h5"], got + "_resumed")
        compare_runs(ref, got, [150, 200, 250, 300], "killed at step 200 and resumed from step 100")


if __name__ == "__main__":
    main()
