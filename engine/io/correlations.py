"""The Correlations sheet → a full, valid correlation matrix (SPEC §2).

The sheet is a square label matrix: the first labelled row names the columns, the
first column names the rows (blank rows between are skipped). Labels are asset classes,
``FX:<CCY>`` factors and the optional ``Inflation`` factor (case-insensitive). The
result covers every asset class, then ``FX:<CCY>`` for every FX row, then
``Inflation`` when the sheet names it, in that order. A pair given once (upper or lower triangle) is used both
ways; a pair given nowhere counts as 0 with a warning. Errors: a non-number, a value
outside [-1, 1], a diagonal other than 1, two different values for one pair, and a
matrix that is not positive semi-definite (smallest eigenvalue below -1e-8).
"""

from __future__ import annotations

import numpy as np
from openpyxl.utils import get_column_letter

from engine.io.cells import describe, is_blank
from engine.io.tables import Issues, SheetRows, normalise
from engine.model import Correlations
from engine.schema import CORRELATIONS_SHEET, HEADER_SEARCH_ROWS, INFLATION_FACTOR

PSD_TOLERANCE = -1e-8
SYMMETRY_TOLERANCE = 1e-9
MAX_LISTED_PAIRS = 8


def identity(labels: list[str]) -> Correlations:
    n = len(labels)
    return Correlations(
        tuple(labels), tuple(tuple(1.0 if i == j else 0.0 for j in range(n)) for i in range(n))
    )


def build_correlations(
    sheet: SheetRows | None,
    labels: list[str],
    issues: Issues,
    optional: tuple[str, ...] = (INFLATION_FACTOR,),
) -> Correlations:
    """The matrix over ``labels``, plus each ``optional`` factor the sheet names, from
    ``sheet`` (identity over ``labels`` with a warning if there is no sheet)."""
    if sheet is None:
        if len(labels) > 1:
            issues.warn(
                CORRELATIONS_SHEET,
                "",
                "",
                "no Correlations sheet: every asset class and currency moves independently",
                "",
                "add a Correlations sheet (see the template) for realistic joint crashes",
            )
        return identity(labels)
    known = {normalise(label): label for label in (*labels, *optional)}
    header_row = _label_row(sheet)
    if header_row is None:
        issues.error(
            sheet.title,
            "",
            "",
            f"no row of factor labels found in the first {HEADER_SEARCH_ROWS} rows",
            "",
            "put asset classes and FX:<CCY> labels across the first row and down the first column",
        )
        return identity(labels)
    errors_before = len(issues.problems)
    columns = _labels(
        sheet, issues, known, [(header_row, j) for j in range(1, len(sheet.row(header_row)))]
    )
    rows_at = [
        (r, 0) for r in range(header_row + 1, sheet.last_row() + 1) if not sheet.is_blank_row(r)
    ]
    rows = _labels(sheet, issues, known, rows_at)
    named = set(columns.values()) | set(rows.values())
    labels = [*labels, *(o for o in optional if o in named)]
    given: dict[tuple[str, str], tuple[float, str]] = {}
    for r, a in rows.items():
        raw_row = sheet.row(r)
        for j, b in columns.items():
            raw = raw_row[j] if j < len(raw_row) else None
            coord = f"{get_column_letter(j + 1)}{r}"
            value = _value(sheet, coord, raw, a, b, issues)
            if value is not None:
                given[(a, b)] = (value, coord)
    matrix, missing = _assemble(sheet.title, labels, given, issues)
    if missing:
        listed = ", ".join(f"{a} / {b}" for a, b in missing[:MAX_LISTED_PAIRS])
        more = (
            f" and {len(missing) - MAX_LISTED_PAIRS} more"
            if len(missing) > MAX_LISTED_PAIRS
            else ""
        )
        issues.warn(
            sheet.title,
            "",
            "",
            f"{len(missing)} correlation pair(s) not given, taken as 0",
            listed + more,
            "add them to the matrix if they are not independent",
        )
    if len(issues.problems) == errors_before and len(labels):
        smallest = float(np.linalg.eigvalsh(np.array(matrix)).min())
        if smallest < PSD_TOLERANCE:
            issues.error(
                sheet.title,
                "",
                "",
                "the correlation matrix is not positive semi-definite (its numbers "
                "contradict each other, e.g. A and B both strongly tied to C but not to each other)",
                f"smallest eigenvalue {smallest:.4f}",
                "make the correlations consistent, for instance by lowering the largest ones",
            )
    return Correlations(tuple(labels), tuple(tuple(row) for row in matrix))


def _label_row(sheet: SheetRows) -> int | None:
    for r in range(1, HEADER_SEARCH_ROWS + 1):
        if any(isinstance(v, str) and not is_blank(v) for v in sheet.row(r)[1:]):
            return r
    return None


def _labels(sheet, issues, known, positions) -> dict[int, str]:
    """{row or column index: canonical label} of the known labels at ``positions``."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for r, j in positions:
        raw = sheet.row(r)[j] if j < len(sheet.row(r)) else None
        if is_blank(raw):
            continue
        key = normalise(raw)
        coord = f"{get_column_letter(j + 1)}{r}"
        label = known.get(key)
        if label is None:
            if not key.startswith("fx:"):  # FX factors without an FX row are simply unused
                issues.warn(
                    sheet.title,
                    coord,
                    "",
                    "label is not an asset class, an FX:<CCY> factor or Inflation; its "
                    "row/column is ignored",
                    describe(raw),
                    "use a name from AssetClasses, FX: plus a currency on the FX sheet, or "
                    "Inflation",
                )
            continue
        if label in seen:
            issues.error(
                sheet.title, coord, "", "label appears twice", describe(raw), "keep one of them"
            )
            continue
        seen.add(label)
        out[r if j == 0 else j] = label
    return out


def _value(sheet, coord, raw, a, b, issues) -> float | None:
    if is_blank(raw):
        if coord in sheet.uncached:
            issues.error(
                sheet.title,
                coord,
                f"{a} / {b}",
                "holds a formula with no saved result",
                f"the formula {sheet.uncached[coord]}",
                "open and save the file in Excel (or LibreOffice) so the result is stored",
            )
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        issues.error(
            sheet.title,
            coord,
            f"{a} / {b}",
            "is not a number",
            describe(raw),
            "enter a correlation between -1 and 1",
        )
        return None
    value = float(raw)
    if not -1.0 <= value <= 1.0:
        issues.error(
            sheet.title,
            coord,
            f"{a} / {b}",
            "must be between -1 and 1",
            describe(raw),
            "enter a correlation between -1 and 1",
        )
        return None
    return value


def _assemble(title, labels, given, issues) -> tuple[list[list[float]], list[tuple[str, str]]]:
    n = len(labels)
    matrix = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    missing: list[tuple[str, str]] = []
    for i, a in enumerate(labels):
        if (a, a) in given and abs(given[(a, a)][0] - 1.0) > SYMMETRY_TOLERANCE:
            value, coord = given[(a, a)]
            issues.error(
                title, coord, f"{a} / {a}", "the diagonal must be 1", f"{value:g}", "enter 1"
            )
        for j in range(i + 1, n):
            b = labels[j]
            upper, lower = given.get((a, b)), given.get((b, a))
            if upper and lower and abs(upper[0] - lower[0]) > SYMMETRY_TOLERANCE:
                issues.error(
                    title,
                    lower[1],
                    f"{b} / {a}",
                    "the matrix is not symmetric",
                    f"{lower[0]:g} here but {upper[0]:g} at {upper[1]}",
                    "enter the same value in both cells (or leave one blank)",
                )
            chosen = upper or lower
            if chosen is None:
                missing.append((a, b))
                value = 0.0
            else:
                value = chosen[0]
            matrix[i][j] = matrix[j][i] = value
    return matrix, missing
