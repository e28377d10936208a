#!/usr/bin/env python3
"""Make scanned copies of a born-digital PDF, as county reports are
published: page images only, no text layer.

    scripts/make_scans.py INPUT.pdf OUTDIR [--pages 1-28] [--variants a,b]

Variants (each OUTDIR/<name>.pdf):
  grey300   300 dpi, grey JPEG (quality 80)
  grey200   200 dpi, grey JPEG
  bw300     300 dpi, 1 bit (threshold 160)
  bw300nodpi  the same 1-bit images saved without their resolution (Pillow's
            72 dpi): each page is as many points as its image has pixels,
            an A4 landscape page 3,508 x 2,480 pt
  worn300   300 dpi grey, turned 0.8 degrees, blurred (radius 0.7), a red
            seal stamped over the top right corner of each page's first
            table, JPEG — saved in colour so the seal stays red
  grey200worn  200 dpi grey, turned 0.6 degrees, a slight blur (radius
            0.5), contrast levels (ink at 45, paper at 225 of 255), JPEG
            quality 55 (issue 27's scan)

Needs poppler's pdftoppm and Python's Pillow. Deterministic: the same
input gives the same images.
"""

import argparse
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageDraw, ImageFilter


def render(pdf, dpi, first, last, folder):
    prefix = os.path.join(folder, f"p{dpi}")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(first), "-l", str(last), "-gray", "-png", pdf, prefix],
        check=True,
    )
    names = sorted(n for n in os.listdir(folder) if n.startswith(f"p{dpi}-") and n.endswith(".png"))
    return [Image.open(os.path.join(folder, n)) for n in names]


def seal(image):
    """A red ring with a star, 38 mm across, over the first dense corner of
    ink in the upper right quarter (a table's corner on table pages)."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    size = int(w * 0.18)
    # the topmost row in the upper half with a long run of ink: a table's top rule
    grey = image.convert("L")
    x0 = int(w * 0.55)
    top = None
    for y in range(int(h * 0.05), int(h * 0.6)):
        row = [grey.getpixel((x, y)) for x in range(x0, w - int(w * 0.08), 4)]
        if sum(1 for v in row if v < 128) > len(row) * 0.8:
            top = y
            break
    if top is None:
        top = int(h * 0.15)
    cx, cy = w - int(w * 0.12) - size // 2, top
    overlay = Image.new("RGBA", rgb.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    r = size // 2
    for k in range(6):
        draw.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=(220, 30, 40, 200))
    s = r // 3
    draw.polygon(
        [(cx, cy - s), (cx + s // 3, cy - s // 3), (cx + s, cy - s // 3), (cx + s // 2, cy + s // 4),
         (cx + s * 2 // 3, cy + s), (cx, cy + s // 2), (cx - s * 2 // 3, cy + s), (cx - s // 2, cy + s // 4),
         (cx - s, cy - s // 3), (cx - s // 3, cy - s // 3)],
        fill=(220, 30, 40, 170),
    )
    return Image.alpha_composite(rgb.convert("RGBA"), overlay).convert("RGB")


def worn_grey(page):
    """A page turned 0.6 degrees, slightly blurred, its levels squeezed
    (black printed as dark grey, paper a little grey)."""
    turned = page.convert("L").rotate(0.6, resample=Image.BILINEAR, expand=False, fillcolor=255)
    blurred = turned.filter(ImageFilter.GaussianBlur(0.5))
    return blurred.point(lambda v: 45 + v * (225 - 45) // 255)


def variant(name, pages300, pages200):
    if name == "grey300":
        return [p.convert("L") for p in pages300], 300, "JPEG"
    if name == "grey200":
        return [p.convert("L") for p in pages200], 200, "JPEG"
    if name in ("bw300", "bw300nodpi"):
        dpi = 300 if name == "bw300" else 72
        return [p.convert("L").point(lambda v: 255 if v > 160 else 0, mode="1") for p in pages300], dpi, "1"
    if name == "worn300":
        out = []
        for p in pages300:
            turned = p.convert("L").rotate(0.8, resample=Image.BILINEAR, expand=False, fillcolor=255)
            blurred = turned.filter(ImageFilter.GaussianBlur(0.7))
            out.append(seal(blurred))
        return out, 300, "JPEG"
    if name == "grey200worn":
        return [worn_grey(p) for p in pages200], 200, "JPEG55"
    raise SystemExit(f"unknown variant {name}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("outdir")
    parser.add_argument("--pages", default="")
    parser.add_argument("--variants", default="grey300,grey200,bw300,worn300")
    args = parser.parse_args()
    info = subprocess.run(["pdfinfo", args.input], capture_output=True, text=True, check=True).stdout
    count = int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
    first, last = 1, count
    if args.pages:
        first, last = (int(x) for x in args.pages.split("-"))
    os.makedirs(args.outdir, exist_ok=True)
    names = args.variants.split(",")
    with tempfile.TemporaryDirectory() as folder:
        pages300 = render(args.input, 300, first, last, folder) if any("300" in n for n in names) else []
        pages200 = render(args.input, 200, first, last, folder) if any(n.startswith("grey200") for n in names) else []
        for name in names:
            images, dpi, kind = variant(name, pages300, pages200)
            target = os.path.join(args.outdir, f"{name}.pdf")
            options = {"resolution": dpi, "save_all": True, "append_images": images[1:]}
            if kind.startswith("JPEG"):
                options["quality"] = int(kind[4:] or 80)
            images[0].save(target, "PDF", **options)
            print(f"{target}: {len(images)} pages at {dpi} dpi", file=sys.stderr)


if __name__ == "__main__":
    main()
