"""Tables as downloads: every report and dashboard table exports to CSV and XLSX
through this one module, so the formats (and their safety) stay the same everywhere.

A table is a title, column headings and rows of plain values (str, int, float,
Decimal, date, datetime, None), and optionally a short sheet name for XLSX. Views build
the table with translated headings and call :func:`table_response`.

Excel allows 31 characters in a sheet name. A table that may sit in a workbook gives a
short name chosen on purpose (its own msgid, e.g. "Hours by stream"); whatever is still
too long (a translation, a title used as the name) is shortened at a word boundary, never
in the middle of a word, and names stay unique within the workbook.

Hours and money go in through :func:`hours_value` and :func:`euros_value`: two
decimals, rounded half up exactly as the pages show them, so a download never says
23.08333333333333333333333333 where the page says 23,08. In XLSX they stay numbers
and get a matching number format (0.00).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Response

FORMATS = ("csv", "xlsx")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Spreadsheet programs run cells starting with these as formulas ("CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")
_TWO_DECIMALS = Decimal("0.01")
# Decimals with up to this many places get a fixed number format in XLSX (0.0, 0.00 …).
_MAX_FORMATTED_PLACES = 4
# Excel's limits for a worksheet's name: length and the characters it refuses.
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def hours_value(minutes: int | None) -> Decimal:
    """Minutes as hours for a download: 1385 → Decimal("23.08") (half up, as on the pages)."""
    return (Decimal(minutes or 0) / 60).quantize(_TWO_DECIMALS, rounding=ROUND_HALF_UP)


def euros_value(cents: int | None) -> Decimal:
    """Cents as euros for a download: 1050 → Decimal("10.50")."""
    return (Decimal(cents or 0) / 100).quantize(_TWO_DECIMALS, rounding=ROUND_HALF_UP)


@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)
    sheet: str = ""  # the XLSX sheet's name (≤ 31 characters); the title when empty

    def add(self, *values: Any) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"row has {len(values)} values for {len(self.columns)} columns")
        self.rows.append(values)


def _safe_text(value: str) -> str:
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return value
    return _safe_text(str(value))


def to_csv(tables: Table | Iterable[Table]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel in Finnish opens ä and ö right; several
    tables are written one after the other, each under its title."""
    tables = [tables] if isinstance(tables, Table) else list(tables)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                writer.writerow([])
            writer.writerow([_safe_text(table.title)])
        writer.writerow([_safe_text(str(c)) for c in table.columns])
        for row in table.rows:
            writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; values are local
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return _safe_text(value)
    return value


def _xlsx_number_format(value: Any) -> str | None:
    """Decimal("35.67") → "0.00": a rounded figure keeps its decimals on screen
    (10.50 shows as 10.50, not 10.5) and stays a number to sum."""
    if isinstance(value, Decimal) and value.is_finite():
        places = -value.as_tuple().exponent
        if 0 < places <= _MAX_FORMATTED_PLACES:
            return "0." + "0" * places
    return None


def shorten_at_word(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else the longest run of its whole words
    that does (without a dangling comma, colon or dash); a single word longer than the
    limit is the only thing ever cut inside."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rfind(" ")
    if cut <= 0:
        return text[:limit]
    return head[:cut].rstrip(" ,;:-–—(")


def sheet_names(tables: Sequence[Table]) -> list[str]:
    """The worksheet name of each table: its `sheet` (or its title) without the
    characters Excel refuses, at most 31 characters cut at a word boundary, unique in
    the workbook (a repeated name gets " (2)", " (3)" … within the limit)."""
    names: list[str] = []
    used: set[str] = set()
    for table in tables:
        wanted = _SHEET_FORBIDDEN.sub(" ", table.sheet or table.title)
        # Excel also refuses a name starting or ending with an apostrophe.
        base = shorten_at_word(wanted, SHEET_NAME_MAX).strip(" '") or "Sheet"
        name, n = base, 2
        while name.casefold() in used:  # Excel compares sheet names case-insensitively
            suffix = f" ({n})"
            name, n = shorten_at_word(base, SHEET_NAME_MAX - len(suffix)) + suffix, n + 1
        used.add(name.casefold())
        names.append(name)
    return names


def to_xlsx(tables: Table | Iterable[Table]) -> bytes:
    """One worksheet per table, headings bold and frozen; decimals keep their places."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    tables = [tables] if isinstance(tables, Table) else list(tables)
    book = Workbook()
    book.remove(book.active)
    for table, name in zip(tables, sheet_names(tables), strict=True):
        sheet = book.create_sheet(name)
        sheet.append([str(c) for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                number_format = _xlsx_number_format(value)
                if number_format:
                    cell.number_format = number_format
        for column_cells in sheet.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in column_cells)
            sheet.column_dimensions[column_cells[0].column_letter].width = min(
                max(width + 2, 8), 60
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_response(fmt: str, filename: str, tables: Table | Iterable[Table]) -> Response:
    """A download of the table(s) as ``csv`` or ``xlsx``; ``filename`` without suffix.
    Callers check ``fmt in FORMATS`` first (an unknown format is the caller's 404/422)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    safe = _UNSAFE_FILENAME.sub("-", filename).strip("-") or "export"
    if fmt == "csv":
        body, mimetype = to_csv(tables), "text/csv"  # werkzeug adds charset=utf-8
    else:
        body, mimetype = to_xlsx(tables), XLSX_MIMETYPE
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
