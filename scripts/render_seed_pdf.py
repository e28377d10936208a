#!/usr/bin/env python3
"""Render the seed report (tab-layout text) as PDF fixtures with Chromium and
LibreOffice.

The tab layout becomes HTML (paragraphs as <p>, each table a bordered
<table>, a multi-paragraph cell with <br>). Headless Chromium prints it to
PDF in portrait and landscape (CID TrueType fonts, Identity-H, ToUnicode);
LibreOffice converts it too (simple TrueType subset fonts with ToUnicode, a
different way of drawing cell borders and of breaking rows across pages).

Needs: chromium, LibreOffice and CJK fonts (Debian: apt-get install
chromium fonts-wqy-zenhei fonts-noto-cjk; apt-get install
--no-install-recommends libreoffice-writer-nogui). Run from the repository
root:

    python3 scripts/render_seed_pdf.py        # every fixture
    python3 scripts/render_seed_pdf.py noto   # the Noto Serif CJK one only
    python3 scripts/render_seed_pdf.py a5 OUT.pdf  # the seed on A5, not a fixture

and commit the PDFs it writes to tests/fixtures/ with this script. On A5
the narrow header cells wrap the 部门： name (…运行管理中 / 心); `pdftotext`
without `-layout` reads such a PDF line by line, as tests/identity.rs
reproduces (issue 26).
"""
import html
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "liaoning_panjin_dawa_smart_city_2023_final.txt"
OUT = ROOT / "tests" / "fixtures"


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


def to_html(text, landscape, font="'WenQuanYi Zen Hei', sans-serif", paper="A4"):
    page = f"{paper} landscape" if landscape else paper
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


def render(landscape, name=None, font=None, paper="A4", target=None):
    name = name or ("seed_chromium_landscape.pdf" if landscape else "seed_chromium_portrait.pdf")
    with tempfile.TemporaryDirectory() as tmp:
        page = pathlib.Path(tmp) / "seed.html"
        text = SEED.read_text(encoding="utf-8")
        if font:
            markup = to_html(text, landscape, font, paper)
        else:
            markup = to_html(text, landscape, paper=paper)
        page.write_text(markup, encoding="utf-8")
        target = pathlib.Path(target) if target else OUT / name
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
        print(f"wrote {target} ({target.stat().st_size} bytes)")


def render_libreoffice():
    with tempfile.TemporaryDirectory() as tmp:
        page = pathlib.Path(tmp) / "seed_libreoffice.html"
        page.write_text(to_html(SEED.read_text(encoding="utf-8"), False), encoding="utf-8")
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", str(OUT), str(page)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        target = OUT / "seed_libreoffice.pdf"
        print(f"wrote {target} ({target.stat().st_size} bytes)")


def render_noto_serif():
    """Noto Serif CJK (an OpenType/CFF font, fonts-noto-cjk), which Chromium's
    Skia prints as Type 3 fonts whose ToUnicode maps some glyphs to CJK
    radical forms (⻔ for 门)."""
    render(False, "seed_chromium_noto_serif.pdf", "'Noto Serif CJK SC', serif")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    if sys.argv[1:2] == ["a5"] and len(sys.argv) == 3:
        render(False, paper="A5", target=sys.argv[2])
        sys.exit(0)
    if sys.argv[1:] == ["noto"]:
        render_noto_serif()
        sys.exit(0)
    for landscape in (False, True):
        render(landscape)
    render_noto_serif()
    render_libreoffice()
    sys.exit(0)
