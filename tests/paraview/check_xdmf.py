"""Checks that ParaView reads a seam XDMF output the way a user would see it.

Usage: xvfb-run -a pvbatch check_xdmf.py FILE.xdmf EXPECTED_POINTS ARRAY[:COMPONENTS] ...
           [--reader default|XDMFReader|Xdmf3ReaderS|Xdmf3ReaderT|all] [--times N]

Opens FILE.xdmf (default: with paraview.simple.OpenDataFile, i.e. the reader ParaView picks; 'all' tries
every XDMF reader of this ParaView), updates the last time step and checks: the number of points equals
EXPECTED_POINTS, there are cells to draw (a point set without cells shows nothing), every ARRAY is point
data (with COMPONENTS components if given), and with --times the number of time steps.
Exits 1 with a message naming the file, reader and what differs.
"""
import sys

from paraview import servermanager
import paraview.simple as pv

READERS = ["XDMFReader", "Xdmf3ReaderS", "Xdmf3ReaderT"]


def parse(argv):
    args, options = [], {"reader": "default", "times": None}
    it = iter(argv)
    for a in it:
        if a == "--reader":
            options["reader"] = next(it)
        elif a == "--times":
            options["times"] = int(next(it))
        else:
            args.append(a)
    if len(args) < 2:
        print(__doc__)
        sys.exit(2)
    return args[0], int(args[1]), args[2:], options


def first_leaf(data):
    """The first non-empty dataset inside (possibly nested) multiblock output."""
    if data is None:
        return None
    if data.IsA("vtkMultiBlockDataSet"):
        for i in range(data.GetNumberOfBlocks()):
            leaf = first_leaf(data.GetBlock(i))
            if leaf is not None:
                return leaf
        return None
    return data


def open_with(reader, path):
    if reader == "default":
        return pv.OpenDataFile(path)
    if reader == "XDMFReader":
        return pv.XDMFReader(FileNames=[path])
    return getattr(pv, reader)(FileName=[path])


def check(reader, path, expected_points, arrays, expected_times):
    """Returns a list of problems (empty if ParaView shows what it should)."""
    source = open_with(reader, path)
    if source is None:
        return ["ParaView found no reader for the file"]
    name = source.GetXMLName()
    problems = []
    times = list(getattr(source, "TimestepValues", []) or [])
    if expected_times is not None and len(times) != expected_times:
        problems.append("%d time steps %s, expected %d" % (len(times), times, expected_times))
    last = times[-1] if times else 0.0
    source.UpdatePipeline(last)
    data = first_leaf(servermanager.Fetch(source))
    if data is None:
        return problems + ["reader %s returned no dataset at time %g" % (name, last)]
    n_points = data.GetNumberOfPoints()
    if n_points != expected_points:
        problems.append("%d points at time %g, expected %d" % (n_points, last, expected_points))
    if data.GetNumberOfCells() == 0:
        problems.append("no cells at time %g (ParaView would draw nothing)" % last)
    point_data = data.GetPointData()
    present = [point_data.GetArrayName(i) for i in range(point_data.GetNumberOfArrays())]
    for spec in arrays:
        array_name, _, components = spec.partition(":")
        array = point_data.GetArray(array_name)
        if array is None:
            problems.append("no point-data array '%s' (present: %s)" % (array_name, ", ".join(present)))
        elif components and array.GetNumberOfComponents() != int(components):
            problems.append("array '%s' has %d components, expected %s"
                            % (array_name, array.GetNumberOfComponents(), components))
        elif array.GetNumberOfTuples() != n_points:
            problems.append("array '%s' has %d tuples for %d points"
                            % (array_name, array.GetNumberOfTuples(), n_points))
    pv.Delete(source)
    return ["[%s] %s" % (name, p) for p in problems]


def main():
    path, expected_points, arrays, options = parse(sys.argv[1:])
    readers = READERS + ["default"] if options["reader"] == "all" else [options["reader"]]
    problems = []
    for reader in readers:
        problems += check(reader, path, expected_points, arrays, options["times"])
    if problems:
        for p in problems:
            print("check_xdmf: %s: %s" % (path, p), file=sys.stderr)
        sys.exit(1)
    print("check_xdmf: %s: %d points and arrays %s read correctly by %s"
          % (path, expected_points, ", ".join(arrays), ", ".join(readers)))


main()
