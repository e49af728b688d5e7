"""Checks that a pulse left the model through absorbing faces: the continuum energy at the end of the run
(e_fe, last row of thermo.csv) is below FRACTION of its initial value, and the absorbed energy accounts for
what left (e_fe + e_damped at the end is within BALANCE of the start).

Usage: python3 check_absorption.py THERMO.csv FRACTION BALANCE
"""
import csv
import sys


def main(path, fraction, balance):
    rows = list(csv.DictReader(open(path)))
    e0, e1 = float(rows[0]["e_fe"]), float(rows[-1]["e_fe"])
    damped = float(rows[-1]["e_damped"])
    left = e1 / e0
    closure = abs(e1 + damped - e0) / e0
    print(f"{path}: {left:.3%} of the initial energy left after {rows[-1]['step']} steps; "
          f"e_fe + e_damped differs from the start by {closure:.3%}")
    if not left < fraction:
        sys.exit(f"{path}: {left:.3%} of the energy is still in the model (limit {fraction:.1%})")
    if not closure < balance:
        sys.exit(f"{path}: energy balance off by {closure:.3%} (limit {balance:.1%})")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]))
