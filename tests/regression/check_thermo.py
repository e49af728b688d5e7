"""Checks a thermo.csv against the output contract: the header starts with the contract's columns, every
row has a value per column, the steps are the expected ones and every value is a finite number.

Usage: python3 check_thermo.py FILE STEP0 STEP1 ...
"""
import math
import sys

CONTRACT = ["step", "time", "temperature", "ke_atoms", "pe_atoms", "e_md", "e_handshake", "e_fe", "e_damped",
            "e_total"]


def main(path, steps):
    with open(path) as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    header = lines[0].split(",")
    if header[:len(CONTRACT)] != CONTRACT:
        sys.exit(f"{path}: header {header} does not start with {CONTRACT}")
    got = []
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split(",")
        if len(cells) != len(header):
            sys.exit(f"{path}:{n}: {len(cells)} values for {len(header)} columns")
        values = [float(c) for c in cells]
        if not all(math.isfinite(v) for v in values):
            sys.exit(f"{path}:{n}: a value is not finite: {line}")
        row = dict(zip(header, values))
        if abs(row["e_total"] - (row["e_md"] + row["e_handshake"] + row["e_fe"])) > 1e-12 * max(1.0, abs(row["e_total"])):
            sys.exit(f"{path}:{n}: e_total != e_md + e_handshake + e_fe")
        got.append(int(values[0]))
    if got != steps:
        sys.exit(f"{path}: steps {got}, expected {steps}")
    print(f"{path}: {len(got)} rows, contract columns present")


if __name__ == "__main__":
    main(sys.argv[1], [int(s) for s in sys.argv[2:]])
