#!/usr/bin/python3
"""Compare 2D nanoindentation load-depth tables with the elastic reference.

    python3 scripts/lib/compare_indent.py CSV [CSV ...] [--png out.png]

Each CSV needs the columns (by name) indent_depth and indent_force_y (force
on the indenter, positive = pushing it up); n_changed_coordination (or any
column whose name contains 'coordination') is optional.  The theory is
scripts/lib/contact_theory.py (rigid frictionless disc on the finite
clamped box), evaluated at penetration = indent_depth - 0.5:
  --theory linear       linear elasticity, linearised gap (computed here);
  --theory cauchy_born  finite-strain Cauchy-Born LJ hyperelasticity, exact
                        gap: read from tests/reference/data/
                        indent_2d_theory_cb.csv (output of contact_theory.py
                        --model cauchy_born --table; linear interpolation in
                        indent_depth, NaN outside its range) or, with
                        --cb-live, recomputed (several minutes);
  --theory both         (default) both.

Printed for each CSV:
  * load at indent_depth 0.75, 1.0, 1.25, ... (linear interpolation of the
    table) against theory (rigid and K=1000 penalty indenter) with the
    relative difference (MD - rigid)/rigid;
  * first pop-in: the first row with n_changed_coordination > 0, and,
    independently, the first load drop > 5 % between consecutive rows
    (drop relative to the running maximum of the load).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contact_theory  # noqa: E402


CB_CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                      'tests', 'reference', 'data', 'indent_2d_theory_cb.csv')


def cb_theory(path, indenter, live=False):
    """depth -> load of the Cauchy-Born model (from the table, or live)."""
    if live:
        return lambda dep: contact_theory.load(
            np.asarray(dep, float), indenter=indenter, model='cauchy_born')
    cols = read_csv(path)
    key = 'load_rigid' if indenter == 'rigid' else 'load_penalty_K1000'
    dt, lt = cols['indent_depth'], cols[key]
    return lambda dep: np.interp(np.asarray(dep, float), dt, lt,
                                 left=0.0, right=np.nan)


def read_csv(path):
    with open(path) as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith('#')]
    head = [h.strip() for h in lines[0].split(',')]
    data = np.array([[float(v) for v in ln.split(',')] for ln in lines[1:]])
    return {h: data[:, k] for k, h in enumerate(head)}


def coordination_column(cols):
    if 'n_changed_coordination' in cols:
        return 'n_changed_coordination'
    for name in cols:
        if 'coordination' in name:
            return name
    return None


def first_popin(cols, ccol):
    d = cols['indent_depth']
    f = cols['indent_force_y']
    coord = None
    if ccol is not None:
        hit = np.flatnonzero(cols[ccol] > 0)
        if len(hit):
            coord = (d[hit[0]], f[hit[0]])
    drop = None
    fmax = -np.inf
    kmax = 0
    for k in range(len(f)):
        if f[k] > fmax:
            fmax, kmax = f[k], k
        elif fmax > 0 and f[k] < 0.95 * fmax:
            drop = (d[k], f[k], d[kmax], fmax)
            break
    return coord, drop


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('csv', nargs='+')
    ap.add_argument('--png', help='write a load-depth plot')
    ap.add_argument('--depths', default='0.75:4.0:0.25',
                    help='start:stop:step of indent_depth (default 0.75:4:0.25)')
    ap.add_argument('--theory', choices=('linear', 'cauchy_born', 'both'),
                    default='both')
    ap.add_argument('--cb-csv', default=CB_CSV,
                    help='Cauchy-Born theory table (default %(default)s)')
    ap.add_argument('--cb-live', action='store_true',
                    help='recompute the Cauchy-Born theory (slow)')
    args = ap.parse_args(argv)
    a, b, s = (float(v) for v in args.depths.split(':'))
    depths = np.arange(a, b + 1e-9, s)
    theories = []     # (label, function depth -> load)
    if args.theory in ('linear', 'both'):
        theories.append(('lin_rigid', contact_theory.load, 'k--',
                         'linear elastic, rigid disc (FE, finite box)'))
        theories.append(('lin_K1000',
                         lambda d: contact_theory.load(d, indenter='penalty'),
                         'k:', 'linear elastic, fix-indent K=1000 wall'))
    if args.theory in ('cauchy_born', 'both'):
        for ind, lab, sty, desc in (
                ('rigid', 'CB_rigid', 'r--',
                 'Cauchy-Born finite strain, rigid disc'),
                ('penalty', 'CB_K1000', 'r:',
                 'Cauchy-Born finite strain, K=1000 wall')):
            theories.append((lab, cb_theory(args.cb_csv, ind, args.cb_live),
                             sty, desc))
    th = [f(depths) for _, f, _, _ in theories]
    tables = []
    for path in args.csv:
        cols = read_csv(path)
        tables.append((path, cols))
        d = cols['indent_depth']
        f = cols['indent_force_y']
        ccol = coordination_column(cols)
        coord, drop = first_popin(cols, ccol)
        print(f'== {path}')
        print(f'{"depth":>6} {"pen.":>6} {"load_md":>9}' + ''.join(
            f' {lab:>9} {"rel.diff":>8}' for lab, _, _, _ in theories))
        print('# rel.diff = (MD - theory)/theory')
        for k, dep in enumerate(depths):
            if dep > d.max() + 1e-9:
                continue
            md = np.interp(dep, d, f)
            tag = ''
            if coord is not None and dep >= coord[0]:
                tag = '  (after pop-in)'
            print(f'{dep:6.3f} {dep - contact_theory.CONTACT_START:6.3f} '
                  f'{md:9.3f}' + ''.join(
                      f' {t[k]:9.3f} {(md - t[k]) / t[k]:+8.3f}' for t in th)
                  + tag)
        if ccol is None:
            print('pop-in (coordination): no coordination column')
        elif coord is None:
            print(f'pop-in (coordination, {ccol} > 0): none')
        else:
            print(f'pop-in (coordination, {ccol} > 0): indent_depth = '
                  f'{coord[0]:.4f} (penetration {coord[0] - 0.5:.4f}), '
                  f'load {coord[1]:.3f}')
        if drop is None:
            print('pop-in (load drop > 5 %): none')
        else:
            print(f'pop-in (load drop > 5 %): first at indent_depth = '
                  f'{drop[0]:.4f} (load {drop[1]:.3f}); preceding maximum '
                  f'{drop[3]:.3f} at indent_depth {drop[2]:.4f}')
    if args.png:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        for path, cols in tables:
            ax.plot(cols['indent_depth'], cols['indent_force_y'], lw=1,
                    label=os.path.basename(path))
        dd = np.linspace(0.5, max(c['indent_depth'].max() for _, c in tables),
                         120)
        for lab, fn, sty, desc in theories:
            ax.plot(dd, fn(dd), sty, label=desc)
        ax.set_xlabel('indent_depth (sigma); contact at 0.5')
        ax.set_ylabel('indent_force_y (epsilon/sigma)')
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(args.png, dpi=120)
        print(f'wrote {args.png}')


if __name__ == '__main__':
    main()
