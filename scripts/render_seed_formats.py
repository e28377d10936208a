#!/usr/bin/env python3
"""Render the seed report (tab-layout text) in the other forms reports are
published in, as fixtures for tests/suite/formats.rs:

- seed.html        UTF-8 web page (<meta charset='utf-8'>), tables with borders
- seed_gbk.html    the same page encoded as GBK, declared in a http-equiv meta
- seed.docx        Word document, converted from the page by LibreOffice
- seed.xlsx        Excel workbook, one sheet per table, the paragraphs before
                   a table as one-cell rows above it, amounts stored as numbers
                   with a number format showing their printed decimals
- seed.xls         the same as an Excel 97-2003 workbook (xlwt)
- seed_layout.txt  `pdftotext -layout` of tests/fixtures/seed_chromium_portrait.pdf

Needs: LibreOffice (apt-get install --no-install-recommends
libreoffice-writer-nogui), poppler-utils, openpyxl and xlwt (pip install
openpyxl xlwt). Run from the repository root:

    python3 scripts/render_seed_formats.py

and commit what it writes to tests/fixtures/ with this script.
"""
import pathlib
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from render_seed_pdf import OUT, SEED, blocks, to_html  # noqa: E402

AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.(\d+)$")


def write_html(text):
    page = to_html(text)
    (OUT / "seed.html").write_text(page, encoding="utf-8")
    gbk = page.replace(
        "<meta charset='utf-8'>",
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">',
    )
    (OUT / "seed_gbk.html").write_bytes(gbk.encode("gbk"))
    print("wrote seed.html, seed_gbk.html")


def write_docx():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
             "--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML",
             "--outdir", tmp, str(OUT / "seed.html")],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        (OUT / "seed.docx").write_bytes((pathlib.Path(tmp) / "seed.docx").read_bytes())
    print("wrote seed.docx")


def write_xlsx(text):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    pending = []
    for kind, content in blocks(text):
        if kind == "p":
            pending.append(content)
            continue
        sheet = book.create_sheet(f"表{len(book.sheetnames) + 1}")
        for paragraph in pending:
            sheet.append([paragraph])
        pending = []
        for row in content:
            sheet.append([None] * len(row))
            for column, cell in enumerate(row, start=1):
                value = cell.strip()
                if not value:
                    continue
                target = sheet.cell(row=sheet.max_row, column=column)
                match = AMOUNT.match(value)
                if match:
                    target.value = float(value.replace(",", ""))
                    grouping = "#,##0" if match.group(2) else "0"
                    target.number_format = f"{grouping}.{'0' * len(match.group(3))}"
                else:
                    target.value = value
    if pending:
        sheet = book.create_sheet("说明")
        for paragraph in pending:
            sheet.append([paragraph])
    book.save(OUT / "seed.xlsx")
    print("wrote seed.xlsx")


def sheets(text):
    """(sheet name, rows) with rows of (value, number format or None)."""
    pending, count = [], 0
    for kind, content in blocks(text):
        if kind == "p":
            pending.append(content)
            continue
        count += 1
        rows = [[(p, None)] for p in pending]
        pending = []
        for row in content:
            cells = []
            for cell in row:
                value = cell.strip()
                match = AMOUNT.match(value)
                if match:
                    grouping = "#,##0" if match.group(2) else "0"
                    cells.append((float(value.replace(",", "")), f"{grouping}.{'0' * len(match.group(3))}"))
                else:
                    cells.append((value or None, None))
            rows.append(cells)
        yield f"表{count}", rows
    if pending:
        yield "说明", [[(p, None)] for p in pending]


def write_xls(text):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    styles = {}
    for name, rows in sheets(text):
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, (value, number_format) in enumerate(row):
                if value is None:
                    continue
                if number_format:
                    style = styles.setdefault(number_format, xlwt.easyxf(num_format_str=number_format))
                    sheet.write(r, c, value, style)
                else:
                    sheet.write(r, c, value)
    book.save(str(OUT / "seed.xls"))
    print("wrote seed.xls")


def write_layout_text():
    subprocess.run(
        ["pdftotext", "-layout", str(OUT / "seed_chromium_portrait.pdf"), str(OUT / "seed_layout.txt")],
        check=True,
    )
    print("wrote seed_layout.txt")


if __name__ == "__main__":
    seed = SEED.read_text(encoding="utf-8")
    write_html(seed)
    write_docx()
    write_xlsx(seed)
    write_xls(seed)
    write_layout_text()
