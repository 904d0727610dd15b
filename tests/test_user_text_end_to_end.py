"""User text stays text from the input workbook to the results (SPEC §5), end to end.

A holding typed as ``=HYPERLINK("http://example.com","x")`` (text, as Excel stores a
cell entered with a leading apostrophe) goes through the real reader, every analysis
and the writer via ``cli.main``; in the results it is that text in the Inputs sheet
(and wherever else the holding is listed), never a formula or a link.
"""

from __future__ import annotations

import zipfile

import openpyxl
from conftest import HYPERLINK_NAME

from engine.app import cli


def test_formula_like_holding_name_from_the_workbook_is_text_in_the_results(
    example_workbook, tmp_path
):
    book = openpyxl.load_workbook(example_workbook)
    cell = book["Holdings"]["A2"]
    cell.value, cell.data_type = HYPERLINK_NAME, "s"
    book.save(example_workbook)

    out = tmp_path / "out"
    argv = ["--out", str(out), "--no-history", "--paths", "100", "--quiet", str(example_workbook)]
    assert cli.main(argv) == cli.EXIT_OK
    (results,) = out.glob("example results *.xlsx")

    book = openpyxl.load_workbook(results)
    hits = {
        ws.title: [c for row in ws.iter_rows() for c in row if c.value == HYPERLINK_NAME]
        for ws in book.worksheets
    }
    assert hits["Inputs"], "the holding name must appear in the Inputs sheet"
    assert hits["Balance Sheet"], "and in the Balance Sheet's holdings table"
    assert all(c.data_type == "s" for cells in hits.values() for c in cells)
    formulas = [
        f"{ws.title}!{c.coordinate}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" and "HYPERLINK" in str(c.value).upper()
    ]
    assert not formulas
    with zipfile.ZipFile(results) as z:  # and no hyperlink relationship to the URL
        rels = [n for n in z.namelist() if n.endswith(".rels")]
        assert not any(b"example.com" in z.read(n) for n in rels)
