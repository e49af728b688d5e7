"""Checks that pictures were written and show something: not blank, not one flat colour.

Usage: python3 check_png.py [--min-colours N] [--min-drawn F] FILE.png ...

For each file: it exists and reads as an image; it has at least N distinct colours (default 32: a
colour map over a wave gives hundreds, a blank or single-colour frame one or two); and at least a
fraction F (default 0.05) of its pixels differ from the background, the colour of its corner pixels.
Exits 1 naming each file and what is wrong.
"""
import argparse
import os
import sys

from PIL import Image


def problems(path, min_colours, min_drawn):
    if not os.path.exists(path):
        return ["missing"]
    try:
        image = Image.open(path).convert("RGB")
    except OSError as e:
        return ["not an image: %s" % e]
    width, height = image.size
    pixels = list(image.getdata())
    found = []
    colours = len(set(pixels))
    if colours < min_colours:
        found.append("%d distinct colours, expected at least %d (blank or flat)" % (colours, min_colours))
    corners = [pixels[0], pixels[width - 1], pixels[-width], pixels[-1]]
    background = max(set(corners), key=corners.count)
    drawn = sum(1 for p in pixels if p != background) / float(len(pixels))
    if drawn < min_drawn:
        found.append("%.1f %% of the pixels differ from the background %s, expected at least %.1f %%"
                     % (100 * drawn, background, 100 * min_drawn))
    if not found:
        print("check_png: %s: %dx%d, %d colours, %.0f %% drawn" % (path, width, height, colours, 100 * drawn))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--min-colours", type=int, default=32)
    ap.add_argument("--min-drawn", type=float, default=0.05)
    args = ap.parse_args()
    failed = False
    for f in args.files:
        for p in problems(f, args.min_colours, args.min_drawn):
            print("check_png: %s: %s" % (f, p), file=sys.stderr)
            failed = True
    sys.exit(1 if failed else 0)


main()
