#!/usr/bin/python3
"""Linear-elastic reference for the 2D nanoindentation benchmark (issue 13).

A rigid, frictionless disc of radius R = 10 is pressed into the top surface of
the finite 2D hexagonal Lennard-Jones crystal of tests/reference/indent_2d.in.
For a 2D half-space the indentation depth of a line (2D) contact is not
defined (the surface displacement grows logarithmically with distance), so the
depth-load relation is computed numerically for the *actual finite box*:

  * material: 2D isotropic (the hexagonal LJ lattice is isotropic in plane),
    lambda = C12 = 27.83, mu = C66 = 27.83, C11 = lambda + 2 mu = 83.50
    (epsilon/sigma^2; values given in issue 13);
  * body: -X <= x <= X, -H <= y <= 0 with both sides and the base clamped
    (u = 0), top free except under the indenter;
  * contact: rigid frictionless cylinder, small-strain (linearised) gap, i.e.
    the classical Hertz/Signorini setting (Johnson, Contact Mechanics, CUP
    1985, ch. 4-5): the surface point at x must satisfy
        w(x) >= h(x) = delta - (R - sqrt(R^2 - x^2)),  p(x) >= 0,
        p(x) (w(x) - h(x)) = 0,
    with w the downward surface displacement and p the downward contact load.

Mapping atoms -> continuum (the choice the comparison depends on):
  the continuum nodes sit at atom centres (Cauchy-Born picture), so
  * the continuum surface is the top atom row, y = 0 (NOT y = +b/2 with the
    row spacing b = a0 sqrt(3)/2); fix indent acts on atom centres, so
    contact starts when the disc bottom reaches y = 0, i.e. at
    indent_depth = 0.5, and the penetration is delta = indent_depth - 0.5;
  * the clamped base is the first held row, y = -57 b = -54.951;
  * the clamped sides are the first held columns, |x| = 94.07 / 94.62 on
    alternating rows -> X = 94.34 (mean).
  `--thickness-offset` adds b/2 of material on top to show the sensitivity.

Numerics (written for this project):
  * Q1 bilinear plane elements on a tensor-product mesh graded away from the
    contact, 2x2 Gauss quadrature (standard isoparametric formulation, e.g.
    T.J.R. Hughes, The Finite Element Method, 1987, ch. 3), stress
    sigma = lambda tr(eps) I + 2 mu eps;
  * the surface compliance G_ij (downward displacement of top node i per unit
    downward force on top node j, |x| < xc) from one sparse LU factorisation;
  * the contact problem is then the linear complementarity problem
    w = G p, w - h >= 0, p >= 0, p.(w - h) = 0, solved by a primal active-set
    iteration (Signorini / Hertz condition, see Johnson 1985 sec. 5.9 on
    numerical methods; Kalker's active-set algorithm);
  * optional 'penalty' indenter: the same geometry with LAMMPS' fix indent
    force law f = K (R - r)^2 per atom (fix indent documentation), smeared to
    a line density K/a0 (one surface atom per a0), solved by Newton's method.
    This quantifies the compliance of the K = 1000 soft wall used in MD.

Also provided: the Hertz line-contact half width a^2 = 4 P R / (pi E')
(Johnson 1985, sec. 4.3, eq. 4.43-4.45 for two cylinders in line contact,
here one body rigid) with the 2D Young (plane) modulus of the 2D isotropic
material.  The 2D plane modulus follows from uniaxial stress in 2D
(sigma_yy = 0 => eps_yy = -lambda/(lambda+2mu) eps_xx):
    E' = ((lambda+2mu)^2 - lambda^2)/(lambda+2mu) = 4 mu (lambda+mu)/(lambda+2mu).

Usage:
    python3 scripts/lib/contact_theory.py --table
    python3 scripts/lib/contact_theory.py --refine      (discretisation study)
    from contact_theory import load; load(np.array([0.5, 1.0]))
"""
import argparse
import functools
import sys

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

# ---- constants of the benchmark -------------------------------------------
LAM = 27.83          # C12, epsilon/sigma^2 (issue 13)
MU = 27.83           # C66
C11 = LAM + 2 * MU   # 83.49 (issue quotes 83.50)
E_PLANE = 4 * MU * (LAM + MU) / (LAM + 2 * MU)   # 74.22, derived above
R_IND = 10.0
A0 = 1.1132013
ROW = A0 * np.sqrt(3.0) / 2.0        # row spacing b
H_BODY = 57 * ROW                    # surface row y=0 to first held row
X_HALF = 0.5 * (94.06550985 + 94.62211050)   # first held columns (mean)
K_IND = 1000.0                       # fix indent K (force/distance^2)
CONTACT_START = 0.5                  # indent_depth at first touch of y = 0


def graded(L, h_fine, x_fine, growth):
    """Nodes 0..L: uniform spacing h_fine up to x_fine, then geometric."""
    pts = list(np.arange(0.0, x_fine + 1e-12, h_fine))
    h = h_fine
    while pts[-1] < L - 1e-12:
        h *= growth
        nxt = pts[-1] + h
        if L - nxt < 0.5 * h * growth:
            nxt = L
        pts.append(min(nxt, L))
    return np.array(pts)


def build_mesh(h_fine, x_fine=6.0, growth=1.12, thickness=H_BODY,
               half_width=X_HALF):
    xr = graded(half_width, h_fine, x_fine, growth)
    x = np.concatenate([-xr[:0:-1], xr])
    yr = graded(thickness, h_fine, 3.0, growth)
    y = -yr[::-1]                       # from -thickness to 0
    return x, y


def stiffness(x, y, lam=LAM, mu=MU):
    """Assemble the Q1 plane stiffness on the tensor-product mesh x (nx) y (ny).

    Node (i, j) -> index j*nx + i; dofs 2n (u_x), 2n+1 (u_y)."""
    nx, ny = len(x), len(y)
    D = np.array([[lam + 2 * mu, lam, 0.0],
                  [lam, lam + 2 * mu, 0.0],
                  [0.0, 0.0, mu]])
    dx = np.diff(x)
    dy = np.diff(y)
    EX, EY = np.meshgrid(np.arange(nx - 1), np.arange(ny - 1))
    EX = EX.ravel()
    EY = EY.ravel()
    hx = dx[EX]
    hy = dy[EY]
    # local node order (xi, eta): (-,-), (+,-), (+,+), (-,+)
    sx = np.array([-1, 1, 1, -1], float)
    sy = np.array([-1, -1, 1, 1], float)
    g = 1.0 / np.sqrt(3.0)
    Ke = np.zeros((len(EX), 8, 8))
    for xi in (-g, g):
        for eta in (-g, g):
            dNdxi = 0.25 * sx * (1 + sy * eta)
            dNdeta = 0.25 * sy * (1 + sx * xi)
            # rectangle: J = diag(hx/2, hy/2)
            dNdx = dNdxi[None, :] * (2.0 / hx)[:, None]
            dNdy = dNdeta[None, :] * (2.0 / hy)[:, None]
            B = np.zeros((len(EX), 3, 8))
            B[:, 0, 0::2] = dNdx
            B[:, 1, 1::2] = dNdy
            B[:, 2, 0::2] = dNdy
            B[:, 2, 1::2] = dNdx
            detJ = hx * hy / 4.0
            Ke += np.einsum('eki,kl,elj->eij', B, D, B) * detJ[:, None, None]
    n0 = EY * nx + EX
    nodes = np.stack([n0, n0 + 1, n0 + nx + 1, n0 + nx], axis=1)
    dofs = np.empty((len(EX), 8), int)
    dofs[:, 0::2] = 2 * nodes
    dofs[:, 1::2] = 2 * nodes + 1
    rows = np.repeat(dofs, 8, axis=1).ravel()
    cols = np.tile(dofs, (1, 8)).ravel()
    K = sp.csc_matrix((Ke.ravel(), (rows, cols)), shape=(2 * nx * ny,) * 2)
    return K


@functools.lru_cache(maxsize=8)
def surface_compliance(h_fine=0.05, xc=8.0, growth=1.12,
                       thickness_offset=0.0):
    """Top-surface nodes with |x| < xc, their tributary lengths and G."""
    x, y = build_mesh(h_fine, growth=growth,
                      thickness=H_BODY + thickness_offset)
    nx, ny = len(x), len(y)
    K = stiffness(x, y)
    ii, jj = np.meshgrid(np.arange(nx), np.arange(ny))
    ii = ii.ravel()
    jj = jj.ravel()
    clamped = (ii == 0) | (ii == nx - 1) | (jj == 0)
    free = np.ones(2 * nx * ny, bool)
    free[2 * np.flatnonzero(clamped)] = False
    free[2 * np.flatnonzero(clamped) + 1] = False
    fidx = np.flatnonzero(free)
    pos = -np.ones(2 * nx * ny, int)
    pos[fidx] = np.arange(len(fidx))
    lu = spla.splu(K[fidx][:, fidx].tocsc(), permc_spec='COLAMD')
    top = np.flatnonzero((jj == ny - 1) & (np.abs(x[ii]) < xc))
    xs = x[ii[top]]
    trib = np.zeros(len(top))
    dxl = np.diff(x)
    it = ii[top]
    trib += 0.5 * dxl[np.minimum(it, nx - 2)] * (it < nx - 1)
    trib += 0.5 * dxl[np.maximum(it - 1, 0)] * (it > 0)
    ydofs = pos[2 * top + 1]
    G = np.zeros((len(top), len(top)))
    chunk = 64
    for s in range(0, len(top), chunk):
        cols = np.arange(s, min(s + chunk, len(top)))
        rhs = np.zeros((len(fidx), len(cols)))
        rhs[ydofs[cols], np.arange(len(cols))] = -1.0   # unit downward force
        sol = lu.solve(rhs)
        G[:, cols] = -sol[ydofs, :]                     # downward displacement
    G = 0.5 * (G + G.T)
    return xs, trib, G


def solve_rigid(delta, xs, G, R=R_IND):
    """Active-set solution of the Signorini LCP; returns (P, p, contact)."""
    h = delta - (R - np.sqrt(np.maximum(R * R - xs * xs, 0.0)))
    h[np.abs(xs) >= R] = -np.inf
    act = h > 0
    if not act.any():
        return 0.0, np.zeros_like(xs), act
    for _ in range(500):
        p = np.zeros_like(xs)
        idx = np.flatnonzero(act)
        p[idx] = np.linalg.solve(G[np.ix_(idx, idx)], h[idx])
        w = G @ p
        neg = act & (p < 0)
        pen = (~act) & (w < h - 1e-12)
        if not neg.any() and not pen.any():
            return p.sum(), p, act
        if neg.any():            # release the most tensile node first
            act[idx[np.argmin(p[idx])]] = False
        else:
            act |= pen
    raise RuntimeError('active set did not converge')


def solve_penalty(delta, xs, trib, G, R=R_IND, K=K_IND, a0=A0):
    """fix-indent force law smeared to line density K/a0 (vertical, linear
    gap); Newton on p = c max(0, h - G p)^2, c = K trib / a0."""
    h = delta - (R - np.sqrt(np.maximum(R * R - xs * xs, 0.0)))
    c = K * trib / a0
    p = np.zeros_like(xs)
    for _ in range(200):
        g = np.maximum(h - G @ p, 0.0)
        F = p - c * g * g
        if np.max(np.abs(F)) < 1e-10 * max(1.0, np.abs(p).max()):
            return p.sum(), p
        J = np.eye(len(p)) + (2 * c * g)[:, None] * G
        p = p - np.linalg.solve(J, F)
        p = np.maximum(p, 0.0)
    raise RuntimeError('penalty Newton did not converge')


def load_penetration(delta, indenter='rigid', h_fine=0.05,
                     thickness_offset=0.0):
    """Load P (force on the indenter, per unit z) at penetration delta >= 0
    below the undeformed top atom row."""
    xs, trib, G = surface_compliance(h_fine=h_fine,
                                     thickness_offset=thickness_offset)
    d = np.atleast_1d(np.asarray(delta, float))
    out = np.zeros_like(d)
    for k, dk in enumerate(d):
        if dk <= 0:
            continue
        if indenter == 'rigid':
            out[k] = solve_rigid(dk, xs, G)[0]
        else:
            out[k] = solve_penalty(dk, xs, trib, G)[0]
    return out if np.ndim(delta) else float(out[0])


def load(depth, indenter='rigid', h_fine=0.05, thickness_offset=0.0):
    """Load at indent_depth (centre displacement of the LAMMPS indenter from
    its start, contact at CONTACT_START = 0.5); vectorised."""
    depth = np.asarray(depth, float)
    return load_penetration(depth - CONTACT_START, indenter=indenter,
                            h_fine=h_fine, thickness_offset=thickness_offset)


def hertz_half_width(P, R=R_IND, E=E_PLANE):
    """Hertz line contact a = sqrt(4 P R / (pi E')) (Johnson 1985, sec 4.3)."""
    return np.sqrt(4.0 * np.asarray(P) * R / (np.pi * E))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--table', action='store_true',
                    help='print indent_depth, penetration, load (rigid and '
                         'penalty indenter), Hertz and FE contact half width')
    ap.add_argument('--refine', action='store_true',
                    help='discretisation study of P at fixed penetration')
    ap.add_argument('--h', type=float, default=0.05,
                    help='finest mesh spacing (default 0.05)')
    ap.add_argument('--thickness-offset', type=float, default=0.0,
                    help='extra material on top (e.g. 0.482 = half a row)')
    args = ap.parse_args(argv)
    if args.refine:
        print('# h_fine  P(delta=0.5)  P(1.0)  P(2.0)  P(3.5)   (rigid)')
        for h in (0.2, 0.1, 0.05, 0.025):
            P = load_penetration([0.5, 1.0, 2.0, 3.5], h_fine=h,
                                 thickness_offset=args.thickness_offset)
            print(f'{h:7.3f} ' + ' '.join(f'{v:9.4f}' for v in P))
            sys.stdout.flush()
    if args.table or not args.refine:
        xs, trib, G = surface_compliance(h_fine=args.h,
                                         thickness_offset=args.thickness_offset)
        print(f'# E_plane = {E_PLANE:.4f}, R = {R_IND}, H = '
              f'{H_BODY + args.thickness_offset:.4f}, X = +-{X_HALF:.4f}, '
              f'h_fine = {args.h}')
        print('indent_depth,penetration,load_rigid,load_penalty_K1000,'
              'a_hertz,a_fe')
        for depth in np.arange(0.5, 4.0001, 0.125):
            d = depth - CONTACT_START
            P, p, act = solve_rigid(d, xs, G) if d > 0 else (0.0, None, None)
            Pp = solve_penalty(d, xs, trib, G)[0] if d > 0 else 0.0
            afe = np.abs(xs[act]).max() if d > 0 else 0.0
            print(f'{depth:.3f},{d:.3f},{P:.4f},{Pp:.4f},'
                  f'{hertz_half_width(P):.4f},{afe:.4f}')


if __name__ == '__main__':
    main()
