#!/usr/bin/python3
"""Elastic (linear and Cauchy-Born) reference for the 2D nanoindentation benchmark
(issue 13).

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

Nonlinear option (model="cauchy_born", see the block "Nonlinear option"
below): finite-strain hyperelasticity with the Cauchy-Born energy of the hex
lj/cut lattice, exact circular gap, Newton load stepping on the same mesh.

Usage:
    python3 scripts/lib/contact_theory.py --table
    python3 scripts/lib/contact_theory.py --refine      (discretisation study)
    python3 scripts/lib/contact_theory.py --selftest    (Cauchy-Born checks)
    python3 scripts/lib/contact_theory.py --model cauchy_born --table \
        --dstep 0.1 --max-depth 2.5 [--verbose]
    python3 scripts/lib/contact_theory.py --model cauchy_born --refine \
        --refine-h 0.2,0.1,0.05 --refine-deltas 0.5,1.0,1.5,2.0
    from contact_theory import load; load(np.array([0.5, 1.0]))
    load(np.array([1.0, 1.5]), model='cauchy_born')
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




# ===========================================================================
# Nonlinear option: finite-strain Cauchy-Born hyperelasticity (model=
# "cauchy_born").  Written for this project; formulas:
#  * Cauchy-Born strain energy density of a Bravais lattice with a pair
#    potential (e.g. E.B. Tadmor & R.E. Miller, Modeling Materials, CUP 2011,
#    sec. 11.2 / Ericksen's Cauchy-Born rule):
#        W(F) = 1/(2 A0) sum_j phi(|F R_j|) - W(I),
#    R_j the reference neighbour vectors of one site (REFERENCE selection:
#    0 < |R_j| < 2.5 in the undeformed lattice, 18 vectors for a0 =
#    1.1132013; the set is kept fixed under deformation, as seam's
#    Cauchy-Born does), A0 = sqrt(3)/2 a0^2;
#  * first Piola stress and tangent (chain rule, r = |F R|):
#        P_iJ = 1/(2A0) sum phi'(r)/r (F R)_i R_J,
#        A_iJkL = dP_iJ/dF_kL = 1/(2A0) sum [ (phi''/r^2 - phi'/r^3)
#                 (FR)_i (FR)_k R_J R_L + phi'/r delta_ik R_J R_L ];
#  * total-Lagrangian Q1 finite elements, 2x2 Gauss (e.g. J. Bonet &
#    R.D. Wood, Nonlinear Continuum Mechanics for Finite Element Analysis,
#    CUP 2008, ch. 8-9): f_int,a = int P grad0 N_a dA,
#    K_ab,ik = int grad0 N_a,J A_iJkL grad0 N_b,L dA;
#  * contact with the rigid disc, exact circular gap (no linearisation): a
#    surface node at current position x, disc centre c = (0, R - delta),
#    r = |x - c|, overlap g = R - r > 0, n = (x - c)/r; nodal force
#    f = k(g) n along the true (radial) normal.  Two force laws
#    (node-to-rigid-surface penalty, e.g. P. Wriggers, Computational Contact
#    Mechanics, Springer 2006, ch. 5-6):
#      'rigid'  : linear penalty f = KAPPA * trib * g, KAPPA = 1e5 (doubling
#                 it changes P by < 0.05 %, see --selftest);
#      'penalty': LAMMPS fix indent law per atom K (R - r)^2 smeared to the
#                 line density K/a0: f = (K/a0) trib g^2 (as the linear
#                 'penalty' option, but radial and with the exact gap);
#    tangent df/dx = k'(g) (-n n) + k(g)/r (I - n n);
#  * quasi-static load stepping in delta, Newton-Raphson with backtracking
#    line search, sparse LU (scipy.sparse.linalg.splu) per iteration.
#  model="small_strain" runs the same code with the linear material
#  (sigma = C : eps, geometrically linear) as a check of the contact part
#  against the LCP solution of the linear model.
# ===========================================================================
KAPPA_RIGID = 1.0e5
RC_LJ = 2.5


def lj(r):
    """lj/cut (epsilon = sigma = 1, not shifted): phi, phi', phi''."""
    ir2 = 1.0 / (r * r)
    ir6 = ir2 * ir2 * ir2
    ir12 = ir6 * ir6
    phi = 4.0 * (ir12 - ir6)
    d1 = 4.0 * (-12.0 * ir12 + 6.0 * ir6) / r
    d2 = 4.0 * (156.0 * ir12 - 42.0 * ir6) * ir2
    return phi, d1, d2


def hex_neighbours(a0=A0, rc=RC_LJ):
    """Reference neighbour vectors 0 < |R| < rc of a site of the hex lattice
    with rows along x (a1 = a0 (1, 0), a2 = a0 (1/2, sqrt3/2)), as in
    tests/reference/indent_2d.in."""
    a1 = np.array([a0, 0.0])
    a2 = np.array([0.5 * a0, 0.5 * np.sqrt(3.0) * a0])
    n = int(np.ceil(rc / a0)) + 2
    out = []
    for i in range(-n, n + 1):
        for j in range(-n, n + 1):
            v = i * a1 + j * a2
            d = np.hypot(*v)
            if 1e-9 < d < rc:
                out.append(v)
    return np.array(out)


class CauchyBorn:
    """W(F), P(F), A(F) for arrays of deformation gradients F (..., 2, 2)."""

    def __init__(self, a0=A0, rc=RC_LJ):
        self.R = hex_neighbours(a0, rc)
        self.area = 0.5 * np.sqrt(3.0) * a0 * a0
        self.W0 = 0.5 / self.area * lj(np.hypot(self.R[:, 0],
                                                self.R[:, 1]))[0].sum()

    def energy(self, F):
        r = np.linalg.norm(np.einsum('...iJ,nJ->...ni', F, self.R), axis=-1)
        return 0.5 / self.area * lj(r)[0].sum(axis=-1) - self.W0

    def stress_tangent(self, F, tangent=True):
        R = self.R
        y = np.einsum('...iJ,nJ->...ni', F, R)          # F R_n
        r = np.sqrt(y[..., 0] ** 2 + y[..., 1] ** 2)
        _, d1, d2 = lj(r)
        c = 0.5 / self.area
        a = d1 / r
        P = c * (np.swapaxes(a[..., None] * y, -1, -2) @ R)
        if not tangent:
            return P
        b = d2 / (r * r) - d1 / (r ** 3)
        RR = (R[:, :, None] * R[:, None, :]).reshape(-1, 4)   # (n, JL)
        yy = (y[..., :, None] * y[..., None, :]).reshape(y.shape[:-1] + (4,))
        T = np.swapaxes(b[..., None] * yy, -1, -2) @ RR       # (.., ik, JL)
        A = c * T.reshape(T.shape[:-2] + (2, 2, 2, 2)).transpose(
            tuple(range(T.ndim - 2)) + (-4, -2, -3, -1))
        S = c * (a @ RR).reshape(a.shape[:-1] + (2, 2))
        A = A + np.einsum('ik,...JL->...iJkL', np.eye(2), S)
        return P, A


class SmallStrain:
    """Linear material sigma = C:eps with the issue's constants, written in
    the same interface (P = sigma, A = C); geometrically linear."""

    def __init__(self, lam=LAM, mu=MU):
        I = np.eye(2)
        self.C = (lam * np.einsum('ij,kl->ijkl', I, I)
                  + mu * (np.einsum('ik,jl->ijkl', I, I)
                          + np.einsum('il,jk->ijkl', I, I)))

    def stress_tangent(self, F, tangent=True):
        eps = 0.5 * (F + np.swapaxes(F, -1, -2)) - np.eye(2)
        P = np.einsum('ijkl,...kl->...ij', self.C, eps)
        if not tangent:
            return P
        A = np.broadcast_to(self.C, F.shape[:-2] + (2, 2, 2, 2))
        return P, A


def voigt_moduli(A):
    """C11, C22, C12, C66 of a tangent A_iJkL at F = I."""
    return A[0, 0, 0, 0], A[1, 1, 1, 1], A[0, 0, 1, 1], A[0, 1, 0, 1]


def min_acoustic(A, nang=72):
    """Legendre-Hadamard (strong ellipticity) check: min over directions N
    of the smallest eigenvalue of the acoustic tensor Q_ik = A_iJkL N_J N_L
    (Q must be positive definite for all N).  Returns (min eig, angle)."""
    th = np.linspace(0.0, np.pi, nang, endpoint=False)
    N = np.stack([np.cos(th), np.sin(th)], axis=1)
    Q = np.einsum('...iJkL,aJ,aL->...aik', A, N, N)
    ev = np.linalg.eigvalsh(Q)[..., 0]             # (..., nang)
    k = np.argmin(ev, axis=-1)
    return ev.min(axis=-1), th[k]


class NonlinearContact:
    """Finite-strain FE model of the box of the linear model (same mesh,
    same clamps) indented by the rigid disc."""

    def __init__(self, h_fine=0.05, growth=1.12, material='cauchy_born',
                 indenter='rigid', kappa=KAPPA_RIGID,
                 thickness_offset=0.0):
        x, y = build_mesh(h_fine, growth=growth,
                          thickness=H_BODY + thickness_offset)
        self.x, self.y = x, y
        nx, ny = len(x), len(y)
        self.nx, self.ny = nx, ny
        self.mat = CauchyBorn() if material == 'cauchy_born' else SmallStrain()
        self.small = material != 'cauchy_born'
        self.indenter = indenter
        self.kappa = kappa
        EX, EY = np.meshgrid(np.arange(nx - 1), np.arange(ny - 1))
        EX, EY = EX.ravel(), EY.ravel()
        hx, hy = np.diff(x)[EX], np.diff(y)[EY]
        n0 = EY * nx + EX
        self.enodes = np.stack([n0, n0 + 1, n0 + nx + 1, n0 + nx], axis=1)
        dofs = np.empty((len(EX), 8), int)
        dofs[:, 0::2] = 2 * self.enodes
        dofs[:, 1::2] = 2 * self.enodes + 1
        self.edofs = dofs
        # gradients of the shape functions at the 4 Gauss points (rectangles)
        sx = np.array([-1, 1, 1, -1], float)
        sy = np.array([-1, -1, 1, 1], float)
        g = 1.0 / np.sqrt(3.0)
        G = []
        self.gauss_xy = []
        for xi in (-g, g):
            for eta in (-g, g):
                dNdxi = 0.25 * sx * (1 + sy * eta)
                dNdeta = 0.25 * sy * (1 + sx * xi)
                Gq = np.zeros((len(EX), 4, 2))
                Gq[:, :, 0] = dNdxi[None, :] * (2.0 / hx)[:, None]
                Gq[:, :, 1] = dNdeta[None, :] * (2.0 / hy)[:, None]
                G.append(Gq)
                self.gauss_xy.append(np.stack(
                    [x[EX] + 0.5 * hx * (1 + xi), y[EY] + 0.5 * hy * (1 + eta)],
                    axis=1))
        self.G = np.stack(G, axis=1)                 # (ne, 4q, 4a, 2)
        self.gauss_xy = np.stack(self.gauss_xy, axis=1)   # (ne, 4q, 2)
        self.detJ = hx * hy / 4.0
        self.rows = np.repeat(dofs, 8, axis=1).ravel()
        self.cols = np.tile(dofs, (1, 8)).ravel()
        ii, jj = np.meshgrid(np.arange(nx), np.arange(ny))
        ii, jj = ii.ravel(), jj.ravel()
        self.X = np.stack([x[ii], y[jj]], axis=1)
        clamped = (ii == 0) | (ii == nx - 1) | (jj == 0)
        free = np.ones(2 * nx * ny, bool)
        free[2 * np.flatnonzero(clamped)] = False
        free[2 * np.flatnonzero(clamped) + 1] = False
        self.fidx = np.flatnonzero(free)
        top = np.flatnonzero((jj == ny - 1) & (np.abs(x[ii]) < R_IND + 1.0))
        it = ii[top]
        dxl = np.diff(x)
        trib = 0.5 * dxl[np.minimum(it, nx - 2)] * (it < nx - 1)
        trib += 0.5 * dxl[np.maximum(it - 1, 0)] * (it > 0)
        self.top, self.trib = top, trib
        self.ndof = 2 * nx * ny
        self.trace = False
        self.hmin = min(np.diff(x).min(), np.diff(y).min())

    # ---- material part ---------------------------------------------------
    def defgrad(self, u):
        ue = u[self.edofs].reshape(-1, 4, 2)          # (ne, a, i)
        return np.eye(2) + np.einsum('eai,eqaJ->eqiJ', ue, self.G)

    def internal(self, u, tangent=True):
        F = self.defgrad(u)
        if tangent:
            P, A = self.mat.stress_tangent(F)
        else:
            P = self.mat.stress_tangent(F, tangent=False)
        w = self.detJ[:, None]
        fe = np.einsum('eqiJ,eqaJ,e->eai', P, self.G, self.detJ)
        f = np.zeros(self.ndof)
        np.add.at(f, self.edofs.ravel(), fe.reshape(-1))
        if not tangent:
            return f, None
        GA = np.einsum('eqaJ,eqiJkL->eqaikL', self.G, A, optimize=True)
        Ke = np.einsum('eqaikL,eqbL,e->eaibk', GA, self.G, self.detJ,
                       optimize=True).reshape(-1, 64)
        K = sp.csc_matrix((Ke.ravel(), (self.rows, self.cols)),
                          shape=(self.ndof,) * 2)
        del w
        return f, K

    # ---- contact part ----------------------------------------------------
    def contact(self, u, delta, tangent=True):
        """Force ON the body from the disc (f), its derivative w.r.t. the
        nodal displacements (dfdu, to be subtracted from K), and the total
        vertical force on the indenter (load P > 0 pushes it up)."""
        top = self.top
        xc = self.X[top] + u.reshape(-1, 2)[top]
        c = np.array([0.0, R_IND - delta])
        d = xc - c
        r = np.hypot(d[:, 0], d[:, 1])
        g = R_IND - r
        act = g > 0
        n = d / r[:, None]
        if self.indenter == 'rigid':
            k = self.kappa * self.trib * g
            dk = self.kappa * self.trib
        else:
            k = K_IND / A0 * self.trib * g * g
            dk = 2.0 * K_IND / A0 * self.trib * g
        k = np.where(act, k, 0.0)
        dk = np.where(act, dk, 0.0)
        fn = k[:, None] * n
        f = np.zeros(self.ndof)
        f[2 * top] = fn[:, 0]
        f[2 * top + 1] = fn[:, 1]
        load = -fn[:, 1].sum()
        if not tangent:
            return f, None, load, act
        nn = np.einsum('ai,aj->aij', n, n)
        D = (-dk[:, None, None] * nn
             + (k / r)[:, None, None] * (np.eye(2) - nn))
        dofs = np.stack([2 * top, 2 * top + 1], axis=1)
        rows = np.repeat(dofs, 2, axis=1).ravel()
        cols = np.tile(dofs, (1, 2)).ravel()
        dfdu = sp.csc_matrix((D.ravel(), (rows, cols)),
                             shape=(self.ndof,) * 2)
        return f, dfdu, load, act

    def residual(self, u, delta):
        fi, _ = self.internal(u, tangent=False)
        fc, _, _, _ = self.contact(u, delta, tangent=False)
        return (fi - fc)[self.fidx]

    # ---- Newton ----------------------------------------------------------
    def solve(self, deltas, dstep=0.05, tol=1e-8, maxit=15, verbose=False,
              dmin=1e-2):
        """March delta = 0 -> max(deltas) in increments <= dstep (the
        requested values are exact stops); an increment whose Newton
        iteration fails is halved (down to dmin), then grown again.
        Returns dict delta -> (load, info, u); 'failed_at' if stuck."""
        deltas = np.sort(np.atleast_1d(np.asarray(deltas, float)))
        stops = sorted(set(np.round(deltas[deltas > 0], 12)))
        u = np.zeros(self.ndof)
        u_prev, d_prev = None, 0.0
        out = {}
        dlast = 0.0
        inc = min(dstep, 0.02)       # first touch: small increments
        self.newton_total = 0
        for target in stops:
            while dlast < target - 1e-12:
                dk = min(dlast + inc, target)
                if target - dk < 0.25 * inc:
                    dk = target
                if u_prev is not None and dlast > d_prev:  # linear predictor
                    u_try = u + (u - u_prev) * (dk - dlast) / (dlast - d_prev)
                else:
                    u_try = u.copy()
                u_new, it, load, info = self._newton(u_try, dk, tol, maxit)
                self.newton_total += it
                if u_new is None:
                    inc *= 0.5
                    if verbose:
                        print(f'# delta {dk:.4f}: no convergence, increment '
                              f'-> {inc:.4g}', file=sys.stderr)
                    if inc < dmin:
                        out['failed_at'] = dk
                        return out
                    continue
                u_prev, d_prev = u, dlast
                u, dlast = u_new, dk
                inc = min(dstep, 1.5 * inc)
                if verbose:
                    print(f'# delta {dk:.4f} P {load:.4f} newton {it} '
                          f'{info}', file=sys.stderr)
                    sys.stderr.flush()
            out[float(target)] = (load, info, u.copy())
        return out

    def _newton(self, u, delta, tol, maxit):
        """Newton-Raphson; the increment is capped at max|du| <= dumax (half
        the finest mesh spacing) and then backtracked on |residual|, which
        keeps the iterates out of the non-elliptic (tensile) CB region that
        an uncapped first iterate can overshoot into at the contact edge."""
        fidx = self.fidx
        dumax = 0.5 * self.hmin
        for it in range(1, maxit + 1):
            fi, K = self.internal(u)
            fc, dfc, load, act = self.contact(u, delta)
            r = (fi - fc)[fidx]
            nr = np.linalg.norm(r)
            scale = max(1.0, np.abs(fc).sum())
            if not np.isfinite(nr):
                return None, it, None, None
            if nr < tol * scale:
                return u, it - 1, load, self.diagnostics(u, act)
            Kt = (K - dfc)[fidx][:, fidx].tocsc()
            try:
                du = spla.splu(Kt, permc_spec='COLAMD').solve(-r)
            except RuntimeError:
                return None, it, None, None
            big = np.abs(du).max()
            if big > dumax:
                du *= dumax / big
            if self.trace:
                print(f'#   it {it} |r| {nr:.3e} |du| {big:.3e} '
                      f'contact {act.sum()}', file=sys.stderr)
            step = 1.0
            for _ in range(10):
                ut = u.copy()
                ut[fidx] += step * du
                nt = np.linalg.norm(self.residual(ut, delta))
                if np.isfinite(nt) and nt < nr:
                    break
                step *= 0.5
            else:
                return None, it, None, None
            u = ut
        return None, maxit, None, None

    def diagnostics(self, u, act):
        """Largest compression/shear near the contact and the strong
        ellipticity margin (min acoustic eigenvalue over all Gauss points,
        relative to its value at F = I)."""
        F = self.defgrad(u)
        J = np.linalg.det(F)
        info = {'n_contact': int(act.sum()),
                'a_contact': float(np.abs(self.X[self.top[act], 0]).max())
                if act.any() else 0.0,
                'J_min': float(J.min())}
        if not self.small:
            # reference vs deformed neighbour selection: how close do the
            # excluded 4th-shell sites (|R| = sqrt7 a0 = 2.945) come, how
            # far do the included 3rd-shell ones (2 a0 = 2.226) go?
            R4 = hex_neighbours(A0, 3.0)
            d4 = np.hypot(R4[:, 0], R4[:, 1])
            y4 = np.einsum('eqiJ,nJ->eqni', F, R4[d4 > RC_LJ])
            y3 = np.einsum('eqiJ,nJ->eqni', F, self.mat.R)
            info['r_excluded_min'] = float(np.sqrt((y4 ** 2).sum(-1)).min())
            info['r_included_max'] = float(np.sqrt((y3 ** 2).sum(-1)).max())
            sel = np.abs(F - np.eye(2)).max(axis=(-1, -2)) > 1e-3
            Fs = F[sel]
            _, A = self.mat.stress_tangent(Fs)
            ev, th = min_acoustic(A)
            _, A0t = self.mat.stress_tangent(np.eye(2)[None])
            ev0 = min_acoustic(A0t)[0][0]
            k = np.argmin(ev)
            gxy = self.gauss_xy[sel][k]
            info.update({'acoustic_min_rel': float(ev[k] / ev0),
                         'acoustic_min_at': (float(gxy[0]), float(gxy[1])),
                         'acoustic_min_angle_deg': float(np.degrees(th[k]))})
        return info


@functools.lru_cache(maxsize=8)
def _nonlinear_path(deltas, h_fine, indenter, material, dstep, kappa):
    m = NonlinearContact(h_fine=h_fine, material=material, indenter=indenter,
                         kappa=kappa)
    res = m.solve(np.array(deltas), dstep=dstep)
    return {k: v[0] for k, v in res.items() if k != 'failed_at'}


def load_penetration_nonlinear(delta, indenter='rigid', h_fine=0.05,
                               material='cauchy_born', dstep=0.05,
                               kappa=KAPPA_RIGID):
    d = np.atleast_1d(np.asarray(delta, float))
    pos = tuple(sorted(set(np.round(d[d > 0], 12))))
    res = _nonlinear_path(pos, h_fine, indenter, material, dstep, kappa) \
        if pos else {}
    out = np.array([res.get(round(float(v), 12), np.nan) if v > 0 else 0.0
                    for v in d])
    return out if np.ndim(delta) else float(out[0])


def selftest():
    """Cauchy-Born checks: neighbour count, P(I) = 0, linearised moduli,
    tangent vs finite differences of P and P vs finite differences of W."""
    cb = CauchyBorn()
    print(f'# reference neighbours within {RC_LJ}: {len(cb.R)} '
          f'(shells {sorted(set(np.round(np.hypot(*cb.R.T), 6)))})')
    P, A = cb.stress_tangent(np.eye(2)[None])
    P, A = P[0], A[0]
    print(f'# P(F=I) = {P.ravel()}  (zero-pressure a0 -> ~0)')
    c11, c22, c12, c66 = voigt_moduli(A)
    print(f'# linearised at F = I: C11 = {c11:.3f}  C22 = {c22:.3f}  '
          f'C12 = {c12:.3f}  C66 = {c66:.3f}  (expect 83.50, 27.83, 27.83)')
    rng = np.random.default_rng(1)
    F = np.eye(2) + 0.15 * rng.standard_normal((2, 2))
    P, A = cb.stress_tangent(F[None])
    P, A = P[0], A[0]
    h = 1e-6
    Pfd = np.zeros((2, 2))
    Afd = np.zeros((2, 2, 2, 2))
    for k in range(2):
        for L in range(2):
            E = np.zeros((2, 2))
            E[k, L] = h
            Pfd[k, L] = (cb.energy(F + E) - cb.energy(F - E)) / (2 * h)
            Afd[:, :, k, L] = (cb.stress_tangent(F + E, False)
                               - cb.stress_tangent(F - E, False)) / (2 * h)
    print(f'# random F (|F-I| ~ 0.15): max|P - dW/dF_fd| = '
          f'{np.abs(P - Pfd).max():.2e} (|P| {np.abs(P).max():.2f}); '
          f'max|A - dP/dF_fd| = {np.abs(A - Afd).max():.2e} '
          f'(|A| {np.abs(A).max():.2f})')
    # uniaxial strain along y (the dominant state under the indenter):
    print('# uniaxial strain F = diag(1, 1+e): sigma_yy, tangent A_yyyy, '
          'min acoustic eig / value at I')
    ev0 = min_acoustic(A[None])[0][0] if False else \
        min_acoustic(cb.stress_tangent(np.eye(2)[None])[1])[0][0]
    for e in (-0.15, -0.1, -0.05, 0.0, 0.05):
        Fu = np.diag([1.0, 1.0 + e])[None]
        Pu, Au = cb.stress_tangent(Fu)
        ev = min_acoustic(Au)[0][0]
        print(f'#   e = {e:+.2f}: P_yy = {Pu[0, 1, 1]:+8.3f}  '
              f'A_yyyy = {Au[0, 1, 1, 1, 1]:8.3f}  acoustic {ev / ev0:.3f}')


def hertz_half_width(P, R=R_IND, E=E_PLANE):
    """Hertz line contact a = sqrt(4 P R / (pi E')) (Johnson 1985, sec 4.3)."""
    return np.sqrt(4.0 * np.asarray(P) * R / (np.pi * E))


def load(depth, indenter='rigid', h_fine=0.05, thickness_offset=0.0,
         model='linear', dstep=0.05):
    """Load at indent_depth (centre displacement of the LAMMPS indenter from
    its start, contact at CONTACT_START = 0.5); vectorised.
    model: 'linear' (small strain, linearised gap, LCP; default) or
    'cauchy_born' (finite strain, exact gap, Newton load stepping; slow:
    ~1 min per unit of penetration at h_fine = 0.05, cached per call set).
    'small_strain' = the nonlinear solver with the linear material."""
    depth = np.asarray(depth, float)
    if model == 'linear':
        return load_penetration(depth - CONTACT_START, indenter=indenter,
                                h_fine=h_fine,
                                thickness_offset=thickness_offset)
    if thickness_offset:
        raise ValueError('thickness_offset only for model="linear"')
    return load_penetration_nonlinear(depth - CONTACT_START,
                                      indenter=indenter, h_fine=h_fine,
                                      material=model, dstep=dstep)


def main_nonlinear(args):
    import time
    if args.refine:
        dl = [float(v) for v in args.refine_deltas.split(',')]
        print(f'# {args.model}: h_fine  P(delta=' + ')  P('.join(
            f'{v}' for v in dl) + f')   ({args.indenter} disc, kappa = '
              f'{args.kappa:g}, dstep = {args.dstep})')
        for h in (float(v) for v in args.refine_h.split(',')):
            t0 = time.time()
            m = NonlinearContact(h_fine=h, material=args.model,
                                 indenter=args.indenter, kappa=args.kappa)
            res = m.solve(dl, dstep=args.dstep, verbose=args.verbose)
            P = [res[v][0] if v in res else np.nan for v in dl]
            for v in dl:
                if v in res and args.model == 'cauchy_born':
                    i = res[v][1]
                    print(f'#   delta {v}: a_fe {i["a_contact"]:.3f} J_min '
                          f'{i["J_min"]:.4f} acoustic_min/acoustic(I) '
                          f'{i["acoustic_min_rel"]:+.3f} at '
                          f'({i["acoustic_min_at"][0]:.2f}, '
                          f'{i["acoustic_min_at"][1]:.2f}) normal '
                          f'{i["acoustic_min_angle_deg"]:.1f} deg; min '
                          f'deformed |F R| of excluded sqrt7 a0 sites '
                          f'{i["r_excluded_min"]:.3f}, max of included '
                          f'{i["r_included_max"]:.3f} (cutoff {RC_LJ})')
            if 'failed_at' in res:
                print(f'#   Newton failed at delta = {res["failed_at"]:.4f}')
            print(f'{h:7.3f} ' + ' '.join(f'{v:9.4f}' for v in P)
                  + f'   # {time.time() - t0:.0f} s')
            sys.stdout.flush()
        return
    t0 = time.time()
    depths = np.arange(0.625, args.max_depth + 1e-9, 0.125)
    dl = depths - CONTACT_START
    res = {}
    for ind in ('rigid', 'penalty'):
        m = NonlinearContact(h_fine=args.h, material=args.model, indenter=ind)
        res[ind] = m.solve(dl, dstep=args.dstep, verbose=args.verbose)
    print(f'# model = {args.model} (Cauchy-Born: lj/cut 2.5 not shifted, '
          f'18 reference neighbours, finite strain), exact circular gap; '
          f'R = {R_IND}, H = {H_BODY:.4f}, X = +-{X_HALF:.4f}, '
          f'h_fine = {args.h}, dstep = {args.dstep}, rigid = linear penalty '
          f'kappa = {KAPPA_RIGID:g}, penalty = fix indent K = {K_IND:g} '
          f'smeared K/a0; {time.time() - t0:.0f} s')
    hdr = 'indent_depth,penetration,load_rigid,load_penalty_K1000,a_fe,J_min'
    if args.model == 'cauchy_born':
        hdr += ',acoustic_min_rel,acoustic_min_x,acoustic_min_y'
    print(hdr)
    print('0.500,0.000,0.0000,0.0000,0.0000,1.0000' +
          (',1.0000,0.0000,0.0000' if args.model == 'cauchy_born' else ''))
    for dep, d in zip(depths, dl):
        key = float(round(d, 12))
        if key not in res['rigid'] and key not in res['penalty']:
            break
        Pp = res['penalty'][key][0] if key in res['penalty'] else np.nan
        if key in res['rigid']:         # diagnostics: rigid-disc solution
            P, info, _ = res['rigid'][key]
            line = (f'{dep:.3f},{d:.3f},{P:.4f},{Pp:.4f},'
                    f'{info["a_contact"]:.4f},{info["J_min"]:.4f}')
            if args.model == 'cauchy_born':
                line += (f',{info["acoustic_min_rel"]:.4f},'
                         f'{info["acoustic_min_at"][0]:.3f},'
                         f'{info["acoustic_min_at"][1]:.3f}')
        else:
            line = f'{dep:.3f},{d:.3f},nan,{Pp:.4f},nan,nan' + (
                ',nan,nan,nan' if args.model == 'cauchy_born' else '')
        print(line)
    for ind in ('rigid', 'penalty'):
        if 'failed_at' in res[ind]:
            print(f'# {ind}: Newton failed at penetration '
                  f'{res[ind]["failed_at"]:.4f}')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--table', action='store_true',
                    help='print indent_depth, penetration, load (rigid and '
                         'penalty indenter), Hertz and FE contact half width')
    ap.add_argument('--refine', action='store_true',
                    help='discretisation study of P at fixed penetration')
    ap.add_argument('--verbose', action='store_true',
                    help='nonlinear models: print every load step to stderr')
    ap.add_argument('--h', type=float, default=0.05,
                    help='finest mesh spacing (default 0.05)')
    ap.add_argument('--thickness-offset', type=float, default=0.0,
                    help='extra material on top (e.g. 0.482 = half a row)')
    ap.add_argument('--model', choices=('linear', 'cauchy_born',
                                        'small_strain'), default='linear',
                    help='linear (default): small strain + linearised gap '
                         '(LCP); cauchy_born: finite-strain Cauchy-Born LJ '
                         'hyperelasticity, exact circular gap, Newton; '
                         'small_strain: the Newton solver with the linear '
                         'material (check)')
    ap.add_argument('--dstep', type=float, default=0.05,
                    help='nonlinear models: max penetration increment')
    ap.add_argument('--max-depth', type=float, default=2.5,
                    help='nonlinear models: last indent_depth of --table')
    ap.add_argument('--refine-h', default='0.2,0.1,0.05',
                    help='nonlinear --refine: finest spacings')
    ap.add_argument('--refine-deltas', default='0.5,1.0,1.5,2.0',
                    help='nonlinear --refine: penetrations')
    ap.add_argument('--indenter', choices=('rigid', 'penalty'),
                    default='rigid', help='nonlinear --refine: indenter')
    ap.add_argument('--kappa', type=float, default=KAPPA_RIGID,
                    help='nonlinear --refine: rigid-disc penalty stiffness')
    ap.add_argument('--selftest', action='store_true',
                    help='Cauchy-Born checks (neighbours, moduli at F = I, '
                         'finite differences of W and P, uniaxial strain)')
    args = ap.parse_args(argv)
    if args.selftest:
        selftest()
        return
    if args.model != 'linear':
        main_nonlinear(args)
        return
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
