#!/usr/bin/env python3
"""Make scanned copies of a born-digital PDF worn the ways published scans
are, each way drawn at random (seeded) from the ranges issue 27 names:

    scripts/make_worn_scans.py INPUT.pdf OUTDIR [--count 12] [--seed 27] [--pages 1-28]

Each OUTDIR/worn-NN.pdf is every page of INPUT scanned with one draw of:
  resolution    150-300 dpi (the PDF says so: pages keep their size)
  JPEG quality  40-90 (grey), or 1 bit (threshold 150-175) one time in four
  blur          Gaussian radius 0-1.0 pixel at 300 dpi
  speckle       0-0.1 % of the pixels set dark or light at random
  contrast      uneven: the paper darkens towards one side by up to 40
                levels and the ink lightens by up to 60
  skew          up to 2 degrees either way, each page a little differently
  seal          a red seal over a table's top right corner, one time in two
                on grey scans (on a 1-bit one a seal is black ink no colour
                test can drop: not drawn there)
  turn          the whole scan turned 90, 180 or 270 degrees one time in
                three; otherwise one page in ten turned 90 or 270 (a
                landscape table scanned sideways)
and OUTDIR/worn.tsv lists each scan's draw. Deterministic for a seed.

Needs poppler's pdftoppm and Python's Pillow.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile

from PIL import Image, ImageFilter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_scans import seal  # noqa: E402


def draw(rng):
    bits = rng.random() < 0.25
    whole_turn = rng.choice([90, 180, 270]) if rng.random() < 1 / 3 else 0
    return {
        "dpi": rng.randint(150, 300),
        "bits": bits,
        "quality": rng.randint(40, 90),
        "threshold": rng.randint(150, 175),
        "blur": round(rng.uniform(0.0, 1.0), 2),
        "speckle": round(rng.uniform(0.0, 0.001), 5),
        "paper_fall": rng.randint(0, 40),
        "ink_rise": rng.randint(0, 60),
        "skew": round(rng.uniform(-2.0, 2.0), 2),
        "seal": rng.random() < 0.5 and not bits,
        "turn": whole_turn,
    }


def uneven(image, paper_fall, ink_rise, rng):
    """Paper darker towards one side, ink lighter: v -> ink + v * span,
    the paper's level falling linearly across the page."""
    w, h = image.size
    gradient = Image.linear_gradient("L").resize((w, h)).rotate(rng.choice([0, 90, 180, 270]))
    ink = ink_rise
    lut_page = image.point(lambda v: ink + v * (255 - ink) // 255)
    shade = gradient.point(lambda g: 255 - g * paper_fall // 255)
    # multiply: the paper (255) becomes the shade's level, ink stays dark
    from PIL import ImageChops
    return ImageChops.multiply(lut_page, shade)


def speckle(image, density, rng):
    w, h = image.size
    px = image.load()
    for _ in range(int(w * h * density)):
        x, y = rng.randrange(w), rng.randrange(h)
        px[x, y] = 0 if rng.random() < 0.6 else 255
    return image


def wear(page, params, rng, page_turn):
    grey = page.convert("L")
    grey = uneven(grey, params["paper_fall"], params["ink_rise"], rng)
    angle = params["skew"] + rng.uniform(-0.2, 0.2)
    angle = max(-2.0, min(2.0, angle))
    grey = grey.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=255)
    if params["blur"] > 0:
        grey = grey.filter(ImageFilter.GaussianBlur(params["blur"] * params["dpi"] / 300))
    grey = speckle(grey, params["speckle"], rng)
    image = seal(grey) if params["seal"] and not params["bits"] else grey
    if params["bits"]:
        image = image.convert("L").point(lambda v, t=params["threshold"]: 255 if v > t else 0, mode="1")
    turn = (params["turn"] + page_turn) % 360
    if turn:
        # PIL turns counter-clockwise
        image = image.rotate(turn, expand=True)
    return image


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("outdir")
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--seed", type=int, default=27)
    parser.add_argument("--pages", default="")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    first_last = ["-f", args.pages.split("-")[0], "-l", args.pages.split("-")[1]] if args.pages else []
    rows = []
    for n in range(1, args.count + 1):
        params = draw(rng)
        with tempfile.TemporaryDirectory() as folder:
            prefix = os.path.join(folder, "p")
            subprocess.run(["pdftoppm", "-r", str(params["dpi"]), "-gray", "-png", *first_last, args.input, prefix], check=True)
            names = sorted(x for x in os.listdir(folder) if x.endswith(".png"))
            pages = []
            turned_pages = []
            for i, name in enumerate(names):
                page_turn = 0
                if params["turn"] == 0 and rng.random() < 0.1:
                    page_turn = rng.choice([90, 270])
                    turned_pages.append(f"{i + 1}:{page_turn}")
                pages.append(wear(Image.open(os.path.join(folder, name)), params, rng, page_turn))
        target = os.path.join(args.outdir, f"worn-{n:02}.pdf")
        options = {"resolution": params["dpi"], "save_all": True, "append_images": pages[1:]}
        if not params["bits"]:
            options["quality"] = params["quality"]
        pages[0].save(target, "PDF", **options)
        params["turned_pages"] = ",".join(turned_pages)
        rows.append((f"worn-{n:02}.pdf", params))
        print(f"{target}: {len(pages)} pages, {params}", file=sys.stderr)
    keys = list(rows[0][1].keys())
    with open(os.path.join(args.outdir, "worn.tsv"), "w") as out:
        out.write("scan\t" + "\t".join(keys) + "\n")
        for name, params in rows:
            out.write(name + "\t" + "\t".join(str(params[k]) for k in keys) + "\n")


if __name__ == "__main__":
    main()
