"""Checks one value of a thermo.csv row against a reference within a relative tolerance.

Usage: python3 check_value.py THERMO.csv STEP COLUMN EXPECTED REL_TOL [SCALE]
The value is multiplied by SCALE (default 1) first, e.g. 1/N for per-atom energies.
"""
import csv
import sys


def main(path, step, column, expected, rel, scale=1.0):
    for row in csv.DictReader(open(path)):
        if int(row["step"]) == step:
            value = float(row[column]) * scale
            err = abs(value - expected) / abs(expected)
            print(f"{path}: step {step} {column} = {value!r}, reference {expected!r}, relative error {err:.2e}")
            if not err <= rel:
                sys.exit(f"relative error {err:.2e} > {rel:.1e}")
            return
    sys.exit(f"{path}: no row for step {step}")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], int(a[1]), a[2], float(a[3]), float(a[4]), float(a[5]) if len(a) > 5 else 1.0)
