"""The dashboard's figures as tables with translated headings.

One table object serves the page (rendered by `templates/dashboard/_table.html`) and its
CSV and XLSX downloads (`jobcenter.core.exports`), so what is shown is what is exported.
Hours are decimal hours with two decimals (as `core.exports.hours_value` writes them in
the downloads), shares are per cent with one decimal: every cell of a column has the same
number of decimals ("65,00" under "157,50"), in the reader's locale. Each table also has
a short sheet name of its own for the XLSX workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any
from urllib.parse import quote

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from jobcenter.core import clock, system_texts
from jobcenter.core.enums import Stream
from jobcenter.core.exports import Table
from jobcenter.core.exports import hours_value as hours  # minutes → Decimal hours, half up
from jobcenter.core.i18n import current_locale
from jobcenter.dashboard import queries as q
from jobcenter.dashboard.period import DateRange
from jobcenter.hours.forms import ABSENCE_LABELS
from jobcenter.hours.models import AbsenceKind
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus


@cache
def _number_symbols(locale: str) -> tuple[str, str]:
    return get_group_symbol(locale), get_decimal_symbol(locale)


def format_figure(value: int | float | Decimal, locale: str) -> str:
    """A number in the locale's digits grouping and decimal sign, fast: a dashboard has
    thousands of cells and Babel's general formatter costs a quarter of a millisecond
    each. A Decimal keeps exactly its places (hours are quantized to two, shares to
    one), so a column reads evenly: "1 174,00", "157,50", "65,00"; an int has none; a
    float gets at most two, trailing zeros dropped."""
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, Decimal) and value.is_finite():
        places = max(-int(value.as_tuple().exponent), 0)
        text = f"{value:,.{places}f}"
    else:
        text = f"{Decimal(str(value)):,.2f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    group, decimal = _number_symbols(locale)
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", group)


def cell_text(value: Any, locale: str) -> str:
    """A figure in a table cell: numbers in the page's language, a dash for none."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    return format_figure(value, locale)


@dataclass
class ShownRow:
    """A row as the page shows it: its heading cell, drill-down link and other cells
    already as text (formatted once here, not by a filter per cell in the template)."""

    heading: Any
    link: str | None
    cells: list[tuple[str, bool]]  # (text, numeric)


@dataclass
class DashTable:
    name: str  # the download's name and the table's id on the page
    table: Table
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    links: list[str | None] = field(default_factory=list)  # drill-down per row
    total: Sequence[Any] | None = None  # a footer row, exported as the last row
    note: str = ""

    @property
    def title(self) -> str:
        return self.table.title

    def shown(self, limit: int | None = None) -> list[ShownRow]:
        """The first `limit` rows (all without one) for the page."""
        rows = self.table.rows[:limit] if limit else self.table.rows
        return [
            self._shown(row, self.links[i] if self.links else None) for i, row in enumerate(rows)
        ]

    def shown_total(self) -> ShownRow | None:
        return None if self.total is None else self._shown(self.total, None)

    def _shown(self, row: Sequence[Any], link: str | None) -> ShownRow:
        locale = current_locale()
        cells = [(cell_text(v, locale), i in self.numeric) for i, v in enumerate(row) if i]
        return ShownRow(row[0], link, cells)

    @property
    def export(self) -> Table:
        rows = list(self.table.rows) + ([self.total] if self.total is not None else [])
        return Table(self.table.title, self.table.columns, rows, sheet=self.table.sheet)


def percent(share: float | None) -> Decimal | None:
    if share is None:
        return None
    return Decimal(str(share * 100)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def stream_label(stream: Stream | str) -> str:
    return {
        "disability": _("Disability work activity"),
        "rehabilitative": _("Rehabilitative work activity"),
    }.get(str(stream), str(stream))


def absence_label(kind: AbsenceKind | None) -> str:
    """`Present`, or the absence kind in the words of the attendance sheet and reports."""
    return _("Present") if kind is None else str(ABSENCE_LABELS[kind])


def assignment_label(status: AssignmentStatus) -> str:
    return {
        AssignmentStatus.ACCEPTED: _("Accepted"),
        AssignmentStatus.CONFIRMED: _("Confirmed"),
        AssignmentStatus.ATTENDED: _("Attended"),
        AssignmentStatus.ABSENT: _("Absent"),
    }.get(status, _("Other"))


def shift_status_label(status: ShiftStatus) -> str:
    return {
        ShiftStatus.PLANNED: _("Planned"),
        ShiftStatus.DONE: _("Done"),
        ShiftStatus.CANCELLED: _("Cancelled"),
    }[status]


def month_label(key: str) -> str:
    first, _last = q.month_days(key)
    return format_date(first, "LLLL yyyy")


def dimension_title(by: str) -> str:
    return {
        "stream": _("Hours by stream"),
        "unit": _("Hours by unit"),
        "task_kind": _("Hours by task kind"),
        "month": _("Hours by month"),
        "instructor": _("Hours by instructor"),
        "district": _("Hours by district"),
    }[by]


def dimension_heading(by: str) -> str:
    return {
        "stream": _("Stream"),
        "unit": _("Unit"),
        "task_kind": _("Task kind"),
        "month": _("Month"),
        "instructor": _("Instructor"),
        "district": _("District"),
    }[by]


def total_label(by: str, row: q.TotalRow) -> str:
    if by == "stream":
        return stream_label(row.key)
    if by == "month":
        return month_label(row.key)
    if row.key == q.NONE_KEY:
        return _("No instructor") if by == "instructor" else _("No district")
    return row.label


def _range_args(rng: DateRange) -> dict[str, str]:
    return rng.as_args()


KEY_MARK = "__key__"


def totals_links(by: str, keys: Sequence[Any], rng: DateRange) -> list[str]:
    """`url_for("dashboard.totals", by=by, key=key, ...)` for each key, building the URL
    once: a long table has hundreds of rows, and each url_for costs 50 µs. Keys are
    ids, streams, months or "none", quoted as a path segment."""
    pattern = url_for("dashboard.totals", by=by, key=KEY_MARK, **_range_args(rng))
    before, after = pattern.split(KEY_MARK, 1)
    return [f"{before}{quote(str(key), safe='')}{after}" for key in keys]


# ---------------------------------------------------------------- the pilot's summary


def summary_table(summary: q.PilotSummary) -> DashTable:
    table = Table(
        _("Hours done by stream"),
        [_("Stream"), _("Hours"), _("Participants")],
        sheet=_("Pilot summary"),
    )
    for stream in q.STREAMS:
        table.add(
            stream_label(stream),
            hours(summary.minutes_by_stream[stream]),
            summary.participants_by_stream[stream],
        )
    return DashTable(
        "summary",
        table,
        numeric=frozenset({1, 2}),
        total=(_("Total"), hours(summary.total_minutes), summary.total_participants),
    )


def kinds_table(summary: q.PilotSummary) -> DashTable:
    table = Table(
        _("Tasks done by kind"),
        [_("Task kind"), _("Tasks"), _("Shifts"), _("Hours")],
        sheet=_("Tasks done"),
    )
    for kind in summary.kinds_done:
        table.add(kind.label, kind.tasks, kind.shifts, hours(kind.minutes))
    links = totals_links("task_kind", [k.kind_id for k in summary.kinds_done], summary.range)
    return DashTable(
        "tasks_done",
        table,
        numeric=frozenset({1, 2, 3}),
        links=links,
        total=(
            _("Total"),
            sum(k.tasks for k in summary.kinds_done),
            sum(k.shifts for k in summary.kinds_done),
            hours(sum(k.minutes for k in summary.kinds_done)),
        ),
    )


# ---------------------------------------------------------------- hour totals


def totals_table(by: str, rows: list[q.TotalRow], rng: DateRange) -> DashTable:
    table = Table(
        dimension_title(by),
        [dimension_heading(by), _("Hours"), _("Share (%)")],
        sheet=dimension_title(by),  # short enough in fi/sv/en (≤ 31 characters)
    )
    whole = sum(r.minutes for r in rows)
    for row in rows:
        table.add(
            total_label(by, row),
            hours(row.minutes),
            percent(row.minutes / whole if whole else None),
        )
    links = totals_links(by, [row.key for row in rows], rng)
    return DashTable(
        f"hours_by_{by}",
        table,
        numeric=frozenset({1, 2}),
        links=links,
        total=(_("Total"), hours(whole), percent(1.0) if whole else None),
    )


# ---------------------------------------------------------------- quality


def fill_table(rows: list[q.FillRow], total: q.FillRow) -> DashTable:
    table = Table(
        _("Shifts filled by month"),
        [
            _("Month"),
            _("Shifts"),
            _("Shifts with every slot filled"),
            _("Offered slot-hours"),
            _("Filled slot-hours"),
            _("Fill rate (%)"),
        ],
        sheet=_("Fill rate"),
    )
    for r in rows:
        table.add(
            month_label(r.month),
            r.shifts,
            r.shifts_filled,
            hours(r.offered_minutes),
            hours(r.filled_minutes),
            percent(r.rate),
        )
    return DashTable(
        "fill_rate",
        table,
        numeric=frozenset(range(1, 6)),
        total=(
            _("Total"),
            total.shifts,
            total.shifts_filled,
            hours(total.offered_minutes),
            hours(total.filled_minutes),
            percent(total.rate),
        ),
        note=_(
            "Offered: slots × length of the shifts that were not cancelled. Filled: slots "
            "held by someone who accepted or was confirmed."
        ),
    )


def absence_table(figures: q.Attendance) -> DashTable:
    table = Table(
        _("Attendance and absences"),
        [_("Attendance"), _("Records"), _("Share (%)")],
        sheet=_("Attendance"),
    )
    present = figures.records - figures.absent
    table.add(absence_label(None), present, percent(figures.rate(present)))
    for row in figures.by_kind:
        table.add(absence_label(row.kind), row.count, percent(figures.rate(row.count)))
    return DashTable(
        "absences",
        table,
        numeric=frozenset({1, 2}),
        total=(_("Total"), figures.records, percent(1.0) if figures.records else None),
        note=_(
            "Attendance recorded for the shifts of the period; "
            "corrections replace what they correct."
        ),
    )


def attendance_kind_table(rows: list[q.KindAttendance]) -> DashTable:
    table = Table(
        _("No-shows and absences by task kind"),
        [
            _("Task kind"),
            _("Records"),
            _("Absences"),
            _("Absence rate (%)"),
            _("No-shows"),
            _("No-show rate (%)"),
        ],
        sheet=_("Absences by task kind"),
    )
    for r in rows:
        table.add(
            r.label,
            r.records,
            r.absent,
            percent(r.absence_rate),
            r.no_shows,
            percent(r.no_show_rate),
        )
    return DashTable("absences_by_task_kind", table, numeric=frozenset(range(1, 6)))


def cancellations_table(
    name: str,
    title: str,
    sheet: str,
    heading: str,
    rows: list[q.CancellationRow],
    blank: str = "",
) -> DashTable:
    table = Table(title, [heading, _("Cancelled shifts"), _("Slot-hours")], sheet=sheet)
    for r in rows:
        table.add(r.label or blank, r.shifts, hours(r.slot_minutes))
    return DashTable(
        name,
        table,
        numeric=frozenset({1, 2}),
        total=(
            _("Total"),
            sum(r.shifts for r in rows),
            hours(sum(r.slot_minutes for r in rows)),
        ),
    )


def per_week(minutes: int, weeks: Decimal) -> Decimal:
    """Hours a week with two decimals, like every other hours column."""
    return (Decimal(minutes) / 60 / weeks).quantize(Decimal("0.01"), ROUND_HALF_UP)


def targets_table(rows: list[q.GroupTarget]) -> DashTable:
    table = Table(
        _("Groups against their plans' weekly targets"),
        [
            _("Group"),
            _("Instructor"),
            _("Participants with a target"),
            _("Target hours a week"),
            _("Hours done a week"),
            _("Target hours"),
            _("Hours done"),
            _("Hours short of target"),
            _("Target reached (%)"),
        ],
        sheet=_("Weekly targets"),
    )
    for r in rows:
        weeks = Decimal(str(r.weeks)) if r.weeks else Decimal(1)
        table.add(
            r.group,
            r.instructor,
            r.participants,
            per_week(r.target_minutes, weeks),
            per_week(r.done_minutes, weeks),
            hours(r.target_minutes),
            hours(r.done_minutes),
            hours(max(r.gap_minutes, 0)),
            percent(r.share),
        )
    return DashTable(
        "weekly_targets",
        table,
        numeric=frozenset(range(2, 9)),
        note=_(
            "Each plan's weekly target counts for the days it runs within the period, up to today."
        ),
    )


def ceiling_table(rows: list[q.CeilingRow], source_note: str = "") -> DashTable:
    table = Table(
        _("Earnings ceiling warnings by month"),
        [
            _("Month"),
            _("People with a ceiling who earned"),
            _("Close to the ceiling (80–99 %)"),
            _("At or over the ceiling"),
        ],
        sheet=_("Earnings ceiling"),
    )
    for r in rows:
        table.add(month_label(r.month), r.with_ceiling, r.close, r.over)
    return DashTable(
        "earnings_ceiling",
        table,
        numeric=frozenset({1, 2, 3}),
        note=source_note
        or _("Earnings are confirmed hours × the wage valid on the day, per calendar month."),
    )


# ---------------------------------------------------------------- satisfaction


def satisfaction_table(
    name: str,
    title: str,
    sheet: str,
    heading: str,
    rows: list[q.SatisfactionRow],
    total: q.SatisfactionRow,
) -> DashTable:
    table = Table(
        title,
        [
            heading,
            _("Unit ratings"),
            _("Units very satisfied (%)"),
            _("Participant ratings"),
            _("Participants very satisfied (%)"),
        ],
        sheet=sheet,
    )
    for r in rows:
        label = r.label
        if name == "satisfaction_by_month":
            label = month_label(r.key)
        elif r.key == q.NONE_KEY:
            label = _("No group")
        table.add(
            label,
            r.unit_ratings,
            percent(r.unit_share),
            r.participant_ratings,
            percent(r.participant_share),
        )
    return DashTable(
        name,
        table,
        numeric=frozenset({1, 2, 3, 4}),
        total=(
            _("Total"),
            total.unit_ratings,
            percent(total.unit_share),
            total.participant_ratings,
            percent(total.participant_share),
        ),
    )


# ---------------------------------------------------------------- the page's tables


def dashboard_tables(data: q.DashboardData, ceiling_note: str = "") -> dict[str, DashTable]:
    tables = [
        summary_table(data.summary),
        kinds_table(data.summary),
        *(totals_table(by, data.totals[by], data.range) for by in q.DIMENSIONS),
        fill_table(data.fill, data.fill_total),
        absence_table(data.attendance),
        attendance_kind_table(data.attendance_by_kind),
        cancellations_table(
            "cancellations_by_unit",
            _("Cancelled shifts by unit"),
            _("Cancellations by unit"),
            _("Unit"),
            data.cancellations_by_unit,
        ),
        cancellations_table(
            "cancellations_by_reason",
            _("Cancelled shifts by reason"),
            _("Cancellations by reason"),
            _("Reason"),
            data.cancellations_by_reason,
            blank=_("No reason given"),
        ),
        targets_table(data.group_targets),
        ceiling_table(data.ceiling, ceiling_note),
        satisfaction_table(
            "satisfaction_by_group",
            _("Very satisfied, by group"),
            _("Satisfaction by group"),
            _("Group"),
            data.satisfaction_by_group,
            data.satisfaction_total,
        ),
        satisfaction_table(
            "satisfaction_by_month",
            _("Very satisfied, by month"),
            _("Satisfaction by month"),
            _("Month"),
            data.satisfaction_by_month,
            q.satisfaction_totals(data.satisfaction_by_month),
        ),
    ]
    return {t.name: t for t in tables}


# ---------------------------------------------------------------- drill-down


def tasks_table(title: str, rows: list[q.TaskLine], rng: DateRange) -> DashTable:
    table = Table(
        title,
        [_("Task"), _("Unit"), _("Task kind"), _("Shifts"), _("People"), _("Hours")],
        sheet=_("Tasks"),
    )
    links = []
    for r in rows:
        table.add(r.title, r.unit, r.kind, r.shifts, r.people, hours(r.minutes))
        links.append(url_for("dashboard.task", task_id=r.task_id, **_range_args(rng)))
    return DashTable(
        "tasks",
        table,
        numeric=frozenset({3, 4, 5}),
        links=links,
        total=(
            _("Total"),
            "",
            "",
            sum(r.shifts for r in rows),
            "",
            hours(sum(r.minutes for r in rows)),
        ),
    )


def shifts_table(title: str, rows: list[q.ShiftLine], rng: DateRange) -> DashTable:
    from flask_babel import format_datetime, format_time

    table = Table(
        title,
        [
            _("Shift"),
            _("Status"),
            _("Slots"),
            _("Filled"),
            _("People with hours"),
            _("Hours"),
        ],
        sheet=_("Shifts"),
    )
    links = []
    for r in rows:
        start = clock.to_local(r.starts_at)
        end = clock.to_local(r.ends_at)
        when = f"{format_datetime(start, 'short')}–{format_time(end, 'short')}"
        status = shift_status_label(r.status)
        if r.status == ShiftStatus.CANCELLED and r.cancel_reason:
            reason = system_texts.shown(r.cancel_reason)
            status = _("%(status)s: %(reason)s", status=status, reason=reason)
        table.add(when, status, r.slots, r.filled, r.people_with_hours, hours(r.minutes))
        links.append(url_for("dashboard.shift", shift_id=r.shift_id, **_range_args(rng)))
    return DashTable(
        "shifts",
        table,
        numeric=frozenset({2, 3, 4, 5}),
        links=links,
        total=(
            _("Total"),
            "",
            sum(r.slots for r in rows),
            sum(r.filled for r in rows),
            "",
            hours(sum(r.minutes for r in rows)),
        ),
    )


def people_table(title: str, rows: list[q.PersonLine]) -> DashTable:
    table = Table(title, [_("Person"), _("Status"), _("Hours")], sheet=_("People"))
    for r in rows:
        table.add(r.display_name or _("Anonymised"), assignment_label(r.status), hours(r.minutes))
    return DashTable(
        "people",
        table,
        numeric=frozenset({2}),
        total=(_("Total"), "", hours(sum(r.minutes for r in rows))),
    )


def day_label(day: date) -> str:
    return format_date(day, "medium")
