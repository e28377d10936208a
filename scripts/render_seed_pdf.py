#!/usr/bin/env python3
"""Render the seed report (tab-layout text) as PDF fixtures, each a way a
report reaches a reader: another engine, paper size or font technology.

The tab layout becomes HTML (paragraphs as <p>, each table a bordered
<table>, a multi-paragraph cell with <br>). Each rendering in RENDERINGS
prints that page with one engine, on one paper, in one font:

- Chromium (headless) writes CID TrueType fonts (Identity-H, ToUnicode)
  for a TrueType face, and Type 3 fonts for an OpenType/CFF face (Noto
  Serif CJK), whose ToUnicode maps some glyphs to CJK radical forms;
- LibreOffice writes simple TrueType subset fonts for a TrueType face, and
  Type 1 fonts for an OpenType/CFF face; it draws cell borders cell by
  cell and breaks rows across pages its own way, and puts a little space
  between Chinese and Latin text (so other lines break elsewhere);
- A4 portrait, A4 landscape, A5 and a paper of 148 x 230 mm wrap the
  same paragraphs and tables at other places, and break them across other
  pages (LibreOffice prints the page on A4 whatever it asks for).

Needs: chromium, LibreOffice and CJK fonts (Debian: apt-get install
chromium fonts-wqy-zenhei fonts-noto-cjk; apt-get install
--no-install-recommends libreoffice-writer-nogui). Run from the repository
root:

    python3 scripts/render_seed_pdf.py                # every rendering
    python3 scripts/render_seed_pdf.py noto a5        # the ones named
    python3 scripts/render_seed_pdf.py --out /tmp/r   # elsewhere, to compare
    python3 scripts/render_seed_pdf.py --list         # the names

and commit the PDFs it writes to tests/fixtures/ with this script
(tests/suite/rendered.rs reads each).
"""
import argparse
import html
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "liaoning_panjin_dawa_smart_city_2023_final.txt"
OUT = ROOT / "tests" / "fixtures"

WENQUANYI = "'WenQuanYi Zen Hei', sans-serif"
NOTO_SERIF = "'Noto Serif CJK SC', serif"

# name: (engine, CSS page size, font, file written)
RENDERINGS = {
    "portrait": ("chromium", "A4", WENQUANYI, "seed_chromium_portrait.pdf"),
    "landscape": ("chromium", "A4 landscape", WENQUANYI, "seed_chromium_landscape.pdf"),
    "a5": ("chromium", "A5", WENQUANYI, "seed_chromium_a5.pdf"),
    # a page ends inside a sentence of the 三公 explanation (…减少等原 | 因。)
    "148x230": ("chromium", "148mm 230mm", WENQUANYI, "seed_chromium_148x230.pdf"),
    "noto": ("chromium", "A4", NOTO_SERIF, "seed_chromium_noto_serif.pdf"),
    "libreoffice": ("libreoffice", "A4", WENQUANYI, "seed_libreoffice.pdf"),
    "libreoffice_type1": ("libreoffice", "A4", NOTO_SERIF, "seed_libreoffice_type1.pdf"),
}


def blocks(text):
    """Yield ('p', text) and ('table', rows) as the tab-layout reader does."""
    table, row = [], None
    for line in text.split("\n"):
        if line.startswith("\t"):
            row = row if row is not None else []
            row.append(line[1:].rstrip())
        elif not line.strip():
            if row is not None:
                table.append(row)
                row = None
        elif row is not None:
            row[-1] += "\n" + line.strip()
        else:
            if table:
                yield "table", table
                table = []
            yield "p", line.strip()
    if row is not None:
        table.append(row)
    if table:
        yield "table", table


def to_html(text, page="A4", font=WENQUANYI):
    """The seed as one HTML page, printed on `page` (a CSS page size) in
    `font` (a CSS font-family)."""
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><style>",
        f"@page {{ size: {page}; margin: 15mm; }}",
        f"body {{ font-family: {font}; font-size: 9pt; }}",
        "table { border-collapse: collapse; margin: 4pt 0; }",
        "td { border: 0.6pt solid #000; padding: 1pt 3pt; min-width: 8pt; height: 10pt; }",
        "p { margin: 2pt 0; }",
        "</style></head><body>",
    ]
    for kind, content in blocks(text):
        if kind == "p":
            parts.append(f"<p>{html.escape(content)}</p>")
            continue
        width = max(len(r) for r in content)
        parts.append("<table border=\"1\" cellspacing=\"0\" cellpadding=\"2\">")
        for row in content:
            cells = row + [""] * (width - len(row))
            tds = "".join(f"<td>{html.escape(c.strip()).replace(chr(10), '<br>')}</td>" for c in cells)
            parts.append(f"<tr>{tds}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def print_chromium(page, target, tmp):
    subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
            f"--print-to-pdf={target}", page.as_uri(),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def print_libreoffice(page, target, tmp):
    """LibreOffice names its PDF after the page: the page is named after
    the target."""
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
         "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", str(target.parent), str(page)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


ENGINES = {"chromium": print_chromium, "libreoffice": print_libreoffice}


def render(name, out):
    engine, page_size, font, file_name = RENDERINGS[name]
    target = out / file_name
    with tempfile.TemporaryDirectory() as tmp:
        page = pathlib.Path(tmp) / (target.stem + ".html")
        page.write_text(to_html(SEED.read_text(encoding="utf-8"), page_size, font), encoding="utf-8")
        ENGINES[engine](page, target, tmp)
    print(f"wrote {target} ({target.stat().st_size} bytes)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="renderings to make (default: all)")
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help="folder to write into")
    parser.add_argument("--list", action="store_true", help="print the renderings and exit")
    args = parser.parse_args()
    if args.list:
        for name, (engine, page, font, file_name) in RENDERINGS.items():
            print(f"{name}\t{engine}\t{page}\t{font}\t{file_name}")
        return 0
    unknown = [n for n in args.names if n not in RENDERINGS]
    if unknown:
        parser.error(f"unknown rendering {', '.join(unknown)}; known: {', '.join(RENDERINGS)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names or RENDERINGS:
        render(name, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
