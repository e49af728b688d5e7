"""Renders a seam output directory (atoms.xdmf and/or continuum.xdmf) to PNG with ParaView, headless.

Run through scripts/render, which starts it as `xvfb-run -a pvbatch scripts/lib/render.py ...`:

  scripts/render OUTDIR [--out FILE.png] [--frame N | --time T] [--color ARRAY] [--movie DIR]
                        [--size WxH] [--exaggerate S] [--view all|atoms]

Atoms are drawn as spheres, the continuum mesh as a surface, both coloured by the same colour map of
ARRAY (default `displacement`, shown as its magnitude; any point array of the output works, e.g.
`velocity`, `weight`, or `coordination` where the atoms carry it; a part without ARRAY is drawn grey).
In 3D both are cut in half by the plane z = centre so the inside shows. --exaggerate S draws positions
as reference + S x displacement (S = 1: as computed). --movie DIR writes one PNG per output frame
(DIR/frame_0000.png, ...) with one colour range for all frames. Prints the path of each PNG written.
"""
import argparse
import math
import os
import sys

import paraview.simple as pv
from paraview import servermanager


def parse():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("directory", help="a seam output directory (output.directory)")
    ap.add_argument("--out", help="the PNG to write (default: DIRECTORY/render.png)")
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--frame", default="-1",
                       help="output frame to draw, counted from 0; negative counts from the end (default -1: "
                            "last); auto: the frame where the coloured field is largest in both parts at once "
                            "(a wave crossing from atoms to continuum), or the last with one part")
    which.add_argument("--time", type=float, help="draw the frame nearest this simulated time")
    ap.add_argument("--color", default="displacement", help="point array to colour by (default: displacement)")
    ap.add_argument("--movie", metavar="DIR", help="write every frame to DIR/frame_NNNN.png instead")
    ap.add_argument("--size", default="1200x900", help="image size in pixels, WxH (default 1200x900)")
    ap.add_argument("--exaggerate", type=float, default=1.0,
                    help="draw reference + S x displacement (default 1: the computed positions)")
    ap.add_argument("--view", choices=["all", "atoms"], default="all",
                    help="frame the whole model (all) or the atoms and their surroundings (atoms)")
    ap.add_argument("--edges", choices=["auto", "on", "off"], default="auto",
                    help="draw the mesh's cell edges (auto: when it has fewer than 3000 cells)")
    # pvbatch passes its own arguments through; ignore what is not ours only if it starts with '--'.
    return ap.parse_args()


def first_leaf(data):
    if data is None:
        return None
    if data.IsA("vtkMultiBlockDataSet"):
        for i in range(data.GetNumberOfBlocks()):
            leaf = first_leaf(data.GetBlock(i))
            if leaf is not None:
                return leaf
        return None
    return data


class Part:
    """One output stream (atoms or continuum): its reader and the filters drawn from it."""

    def __init__(self, name, path, args):
        self.name = name
        self.reader = pv.OpenDataFile(path)
        if self.reader is None:
            sys.exit("render: ParaView cannot open %s" % path)
        self.times = list(getattr(self.reader, "TimestepValues", []) or [0.0])
        if not isinstance(self.times, list):
            self.times = [self.times]
        self.output = self.reader
        if args.exaggerate != 1.0:
            # Positions are reference + displacement: add (S - 1) displacement more.
            self.output = pv.WarpByVector(Input=self.output, Vectors=["POINTS", "displacement"],
                                          ScaleFactor=args.exaggerate - 1.0)
        self.display = None

    def data(self, time):
        self.output.UpdatePipeline(time)
        return first_leaf(servermanager.Fetch(self.output))

    def array_range(self, array, time):
        """(lo, hi) of ARRAY (its magnitude if a vector) at `time`, or None if absent."""
        data = self.data(time)
        a = data.GetPointData().GetArray(array) if data is not None else None
        if a is None or a.GetNumberOfTuples() == 0:
            return None
        return a.GetRange(-1) if a.GetNumberOfComponents() > 1 else a.GetRange(0)


def auto_frame(parts, times, array):
    """The time at which min over the parts of max |ARRAY| is largest; the last time with one part."""
    if len(parts) < 2:
        return times[-1]
    best, best_time = -1.0, times[-1]
    for t in times:
        ranges = [p.array_range(array, t) for p in parts]
        if any(r is None for r in ranges):
            continue
        value = min(max(abs(r[0]), abs(r[1])) for r in ranges)
        if value > best:
            best, best_time = value, t
    return best_time


def main():
    args = parse()
    width, height = (int(v) for v in args.size.lower().split("x"))
    parts = []
    for name in ("continuum", "atoms"):
        path = os.path.join(args.directory, name + ".xdmf")
        if os.path.exists(path):
            parts.append(Part(name, path, args))
    if not parts:
        sys.exit("render: neither atoms.xdmf nor continuum.xdmf in %s: run with output.fields_every > 0"
                 % args.directory)

    times = sorted(set(t for p in parts for t in p.times))
    if args.time is not None:
        frame_times = [min(times, key=lambda t: abs(t - args.time))]
    elif args.movie:
        frame_times = times
    elif args.frame == "auto":
        frame_times = [auto_frame(parts, times, args.color)]
    else:
        try:
            frame = int(args.frame)
        except ValueError:
            sys.exit("render: --frame %s: expected an integer or auto" % args.frame)
        if not -len(times) <= frame < len(times):
            sys.exit("render: --frame %d: the output has %d frames (0 .. %d)" % (frame, len(times), len(times) - 1))
        frame_times = [times[frame]]

    # Geometry: the bounds of everything at the first frame drawn tell the dimension and the camera.
    bounds = [math.inf, -math.inf] * 3
    atom_bounds = None
    for p in parts:
        b = p.data(frame_times[0]).GetBounds()
        for a in range(3):
            bounds[2 * a] = min(bounds[2 * a], b[2 * a])
            bounds[2 * a + 1] = max(bounds[2 * a + 1], b[2 * a + 1])
        if p.name == "atoms":
            atom_bounds = b
    extent = [bounds[2 * a + 1] - bounds[2 * a] for a in range(3)]
    dim = 3 if extent[2] > 1e-9 * max(extent) else (2 if extent[1] > 1e-9 * max(extent) else 1)
    centre = [0.5 * (bounds[2 * a] + bounds[2 * a + 1]) for a in range(3)]

    view = pv.CreateRenderView()
    view.ViewSize = [width, height]
    view.OrientationAxesVisibility = 0
    try:
        view.UseColorPaletteForBackground = 0
    except AttributeError:
        pass
    view.Background = [1.0, 1.0, 1.0]

    # One colour range over every frame drawn and both parts, so atoms and continuum compare.
    lo, hi, present = math.inf, -math.inf, []
    for p in parts:
        for t in frame_times:
            r = p.array_range(args.color, t)
            if r is not None:
                lo, hi = min(lo, r[0]), max(hi, r[1])
                if p not in present:
                    present.append(p)
    if not present:
        sys.exit("render: no point array '%s' in %s" % (args.color, ", ".join(p.name + ".xdmf" for p in parts)))
    vector = any(p.data(frame_times[0]).GetPointData().GetArray(args.color).GetNumberOfComponents() > 1
                 for p in present)
    if vector:
        lo = 0.0  # a magnitude: the colour map starts at rest
    if not hi > lo:
        hi = lo + 1.0

    lut = pv.GetColorTransferFunction(args.color)
    lut.ApplyPreset("Viridis (matplotlib)", True)
    for p in parts:
        source = p.output
        if dim == 3:
            # Cut away z > centre so the atoms inside the continuum, and the wave, show.
            source = pv.Clip(Input=source, ClipType="Plane")
            source.ClipType.Origin = centre
            source.ClipType.Normal = [0.0, 0.0, 1.0]
            source.Crinkleclip = 1 if p.name == "atoms" else 0
        if p.name == "atoms" and dim < 3:
            # Atoms sit in the continuum's plane (the band overlaps the mesh): lift them towards the camera.
            source = pv.Transform(Input=source)
            source.Transform.Translate = [0.0, 0.0, 1e-3 * max(extent)]
        d = pv.Show(source, view)
        p.display = d
        if p in present:
            array = source.PointData[args.color] if args.color in source.PointData.keys() else None
            if array is not None and array.GetNumberOfComponents() > 1:
                pv.ColorBy(d, ("POINTS", args.color, "Magnitude"))
            else:
                pv.ColorBy(d, ("POINTS", args.color))
        else:
            pv.ColorBy(d, None)
            d.AmbientColor = d.DiffuseColor = [0.6, 0.6, 0.6]
        if p.name == "atoms":
            d.SetRepresentationType("Points")
            d.RenderPointsAsSpheres = 1
        else:
            n_cells = p.data(frame_times[0]).GetNumberOfCells()
            edges = args.edges == "on" or (args.edges == "auto" and n_cells < 3000)
            d.SetRepresentationType("Surface With Edges" if edges else "Surface")
            d.EdgeColor = [0.75, 0.75, 0.75]
            if dim == 1:
                d.LineWidth = 4.0
    lut.RescaleTransferFunction(lo, hi)
    bar = pv.GetScalarBar(lut, view)
    component = " magnitude" if vector else ""
    bar.Title = args.color + component
    bar.ComponentTitle = ""
    bar.TitleColor = bar.LabelColor = [0.0, 0.0, 0.0]
    try:  # a white box behind the bar keeps it readable over the model
        bar.DrawBackground = 1
        bar.BackgroundColor = [1.0, 1.0, 1.0, 0.85]
    except AttributeError:
        pass
    bar.Visibility = 1

    # Camera: looking down z in 1D/2D, obliquely at the cut face in 3D. Render once first: paraview.simple
    # resets the camera at a view's first render.
    pv.Render(view)
    focus = bounds if args.view == "all" or atom_bounds is None else [
        v for a in range(3) for v in (
            0.5 * (atom_bounds[2 * a] + atom_bounds[2 * a + 1]) - 1.25 * (atom_bounds[2 * a + 1] - atom_bounds[2 * a]),
            0.5 * (atom_bounds[2 * a] + atom_bounds[2 * a + 1]) + 1.25 * (atom_bounds[2 * a + 1] - atom_bounds[2 * a]))]
    fc = [0.5 * (focus[2 * a] + focus[2 * a + 1]) for a in range(3)]
    size = max(focus[2 * a + 1] - focus[2 * a] for a in range(3))
    if dim < 3:
        view.CameraPosition = [fc[0], fc[1], fc[2] + 3.0 * size]
        view.CameraViewUp = [0.0, 1.0, 0.0]
    else:
        view.CameraPosition = [fc[0] + 1.2 * size, fc[1] - 1.6 * size, fc[2] + 1.4 * size]
        view.CameraViewUp = [0.0, 0.0, 1.0]
    view.CameraFocalPoint = fc
    view.CameraParallelProjection = 1 if dim < 3 else 0
    view.ResetCamera(focus)  # keeps the direction, fits the focus box

    # Atom spheres about as wide on screen as the atoms' spacing.
    atoms = [p for p in parts if p.name == "atoms"]
    if atoms:
        data = atoms[0].data(frame_times[0])
        n = max(data.GetNumberOfPoints(), 1)
        b = data.GetBounds()
        ext = [max(b[2 * a + 1] - b[2 * a], 1e-12) for a in range(dim)]
        spacing = (math.prod(ext) / n) ** (1.0 / dim)
        # The world width the camera shows: the focus box fitted to the image (ResetCamera), with margin.
        fw, fh = focus[1] - focus[0], focus[3] - focus[2]
        visible = 1.1 * max(fw, fh * width / height) if dim < 3 else 1.2 * size
        atoms[0].display.PointSize = max(2.0, min(30.0, 1.05 * spacing / visible * width))

    written = []
    if args.movie:
        os.makedirs(args.movie, exist_ok=True)
    for i, t in enumerate(frame_times):
        view.ViewTime = t
        pv.Render(view)
        out = os.path.join(args.movie, "frame_%04d.png" % i) if args.movie else \
            (args.out or os.path.join(args.directory, "render.png"))
        pv.SaveScreenshot(out, view, ImageResolution=[width, height], TransparentBackground=0)
        written.append(out)
        print("render: %s (t = %g, %s coloured by %s, range %.4g .. %.4g)"
              % (os.path.abspath(out), t, "+".join(p.name for p in parts), args.color, lo, hi))
    return written


main()
