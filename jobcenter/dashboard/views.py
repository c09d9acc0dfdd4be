"""The manager's dashboard pages: figures for a date range, drill-down, downloads.

- `dashboard.index` (`/dashboard`): the pilot's summary, hour totals, quality,
  satisfaction and charts for `?from=&to=`; `?format=csv|xlsx` downloads every table;
- `dashboard.export(name)`: one table as CSV or XLSX;
- drill-down: `dashboard.totals(by, key)` (the tasks behind a total) →
  `dashboard.task(task_id)` (its shifts with hours) → `dashboard.shift(shift_id)` (who
  worked: first name and initial, hours — each person shown is written to the audit log).

Managers and admins only. A bad range re-renders the form with 422 and shows no figures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField

from jobcenter.accounts.models import User
from jobcenter.catalog.models import District, TaskKind
from jobcenter.core import audit, clock
from jobcenter.core.authz import get_visible, require_roles
from jobcenter.core.enums import Role, Stream
from jobcenter.core.exports import FORMATS, table_response
from jobcenter.core.i18n import current_locale
from jobcenter.dashboard import charts, queries
from jobcenter.dashboard import tables as t
from jobcenter.dashboard.cache import figures_cache
from jobcenter.dashboard.period import DateRange, parse_range, presets
from jobcenter.extensions import db
from jobcenter.participants.models import Instructor
from jobcenter.scheduling.models import Shift
from jobcenter.units.models import Task, Unit

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
VIEWERS = (Role.MANAGER, Role.ADMIN)


@bp.app_template_filter("dash_value")
def dash_value(value: Any) -> str:
    """A figure in the page's text: numbers in the page's language, a dash for none."""
    return t.cell_text(value, current_locale())


@bp.app_template_filter("percent_value")
def percent_value(share: float | None) -> Decimal | None:
    return t.percent(share)


class RangeForm(FlaskForm):
    """The date range (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    first = StringField(_l("First day"), name="from", render_kw={"type": "date"})
    last = StringField(_l("Last day"), name="to", render_kw={"type": "date"})


def _form_and_range() -> tuple[RangeForm, DateRange | None]:
    form = RangeForm(request.args)
    rng, errors = parse_range(request.args)
    if rng is not None:
        form.first.data, form.last.data = rng.first.isoformat(), rng.last.isoformat()
    form.first.errors = list(errors.get("from", []))
    form.last.errors = list(errors.get("to", []))
    return form, rng


def _format() -> str | None:
    fmt = request.args.get("format")
    if fmt in (None, ""):
        return None
    if fmt not in FORMATS:
        abort(422, description=_("Choose the download format csv or xlsx."))
    return fmt


def _invalid(form: RangeForm, title: str) -> tuple[str, int]:
    return render_template("dashboard/invalid.html", form=form, title=title), 422


def _filename(prefix: str, rng: DateRange) -> str:
    return f"{prefix}-{rng.first.isoformat()}-{rng.last.isoformat()}"


def _dashboard_data(rng: DateRange) -> tuple[queries.DashboardData, Any]:
    locale = current_locale()
    return figures_cache.get(
        db.session,
        ("dashboard", rng, locale),
        lambda: queries.dashboard(db.session, rng, locale),
    )


def _dashboard_tables(rng: DateRange, data: queries.DashboardData) -> dict[str, t.DashTable]:
    """The page's tables (translated, with drill-down links) for the cached figures."""
    tables, _at = figures_cache.get(
        db.session,
        ("dashboard-tables", rng, current_locale()),
        lambda: t.dashboard_tables(data),
    )
    return tables


def _projected_ceiling() -> dict[str, Any] | None:
    """This month's projected earnings (confirmed hours and accepted shifts) against
    each person's ceiling, valued by the reports module as the instructors' ceiling list
    is, and shown here as counts only."""
    try:
        from jobcenter.reports.earnings import CLOSE_SHARE, earnings_for
    except ImportError:  # pragma: no cover - the reports module is optional here
        return None
    month = clock.today().replace(day=1)
    last = queries.month_days(f"{month.year:04d}-{month.month:02d}")[1]
    people = queries.participants_with_ceiling(month, last)
    figures = earnings_for(db.session, people, month).values()
    over = sum(1 for e in figures if e.over_ceiling)
    close = sum(
        1
        for e in figures
        if not e.over_ceiling
        and e.share_of_ceiling is not None
        and e.share_of_ceiling >= CLOSE_SHARE
    )
    return {"month": month, "close": close, "over": over}


def _charts(data: queries.DashboardData) -> dict[str, Markup]:
    months = [m for m, _streams in data.hours_by_month_and_stream]
    short = [format_date(queries.month_days(m)[0], "LLL yy") for m in months]
    series = [
        charts.Series(
            t.stream_label(stream),
            [float(t.hours(s[stream])) for _m, s in data.hours_by_month_and_stream],
            css,
        )
        for stream, css in zip(queries.STREAMS, ("series-a", "series-b"), strict=True)
    ]
    busiest = max(
        data.hours_by_month_and_stream,
        key=lambda item: sum(item[1].values()),
        default=None,
    )
    if busiest and sum(busiest[1].values()):
        desc = _(
            "Confirmed hours per month, one bar per stream. The most hours were done in "
            "%(month)s: %(hours)s h.",
            month=t.month_label(busiest[0]),
            hours=t.format_figure(t.hours(sum(busiest[1].values())), current_locale()),
        )
    else:
        desc = _("Confirmed hours per month, one bar per stream. No hours in this period.")
    hours_chart = charts.bar_chart(
        "chart-hours",
        _("Confirmed hours by month and stream"),
        desc,
        short,
        series,
        _("Hours"),
    )
    fill_months = {r.month: r for r in data.fill}
    values = [
        float(t.percent(fill_months[m].rate)) if m in fill_months and fill_months[m].rate else None
        for m in months
    ]
    rate = t.percent(data.fill_total.rate)
    fill_desc = (
        _("Fill rate per month: filled slot-hours as a share of offered slot-hours. "
          "Over the whole period %(rate)s %%.", rate=rate)
        if rate is not None
        else _("Fill rate per month. No shifts were offered in this period.")
    )  # fmt: skip
    fill_chart = charts.line_chart(
        "chart-fill", _("Fill rate by month"), fill_desc, short, values, _("Fill rate")
    )
    return {"hours": hours_chart, "fill": fill_chart}


@bp.get("")
@require_roles(*VIEWERS)
def index():
    form, rng = _form_and_range()
    if rng is None:
        return _invalid(form, _("Dashboard"))
    fmt = _format()
    data, computed_at = _dashboard_data(rng)
    tables = _dashboard_tables(rng, data)
    if fmt:
        return table_response(
            fmt, _filename("dashboard", rng), [table.export for table in tables.values()]
        )
    return render_template(
        "dashboard/index.html",
        form=form,
        rng=rng,
        data=data,
        tables=tables,
        charts=_charts(data),
        presets=presets(),
        projected=_projected_ceiling(),
        computed_at=computed_at,
        streams=Stream,
        format_datetime=format_datetime,
    )


@bp.get("/tables/<name>")
@require_roles(*VIEWERS)
def table(name: str):
    """One of the dashboard's tables in full (the dashboard shows the first rows of the
    long ones)."""
    form, rng = _form_and_range()
    if rng is None:
        return _invalid(form, _("Dashboard"))
    data, computed_at = _dashboard_data(rng)
    found = _dashboard_tables(rng, data).get(name)
    if found is None:
        abort(404)
    return render_template(
        "dashboard/table.html",
        form=form,
        rng=rng,
        table=found,
        computed_at=computed_at,
        format_datetime=format_datetime,
    )


@bp.get("/export/<name>")
@require_roles(*VIEWERS)
def export(name: str):
    """One of the dashboard's tables as a download (`?format=csv` by default)."""
    form, rng = _form_and_range()
    if rng is None:
        return _invalid(form, _("Dashboard"))
    fmt = _format() or "csv"
    data, _computed = _dashboard_data(rng)
    found = _dashboard_tables(rng, data).get(name)
    if found is None:
        abort(404)
    return table_response(fmt, _filename(name.replace("_", "-"), rng), found.export)


def _total_label(by: str, key: str) -> str:
    """The name of what a total is about; 404 when the key names nothing."""
    if by == "stream":
        return t.stream_label(Stream(key))
    if by == "month":
        return t.month_label(key)
    if key == queries.NONE_KEY:
        return _("No instructor") if by == "instructor" else _("No district")
    object_id = int(key)
    if by == "unit":
        unit = db.session.get(Unit, object_id) or abort(404)
        return unit.name
    if by == "task_kind":
        kind = db.session.get(TaskKind, object_id) or abort(404)
        return kind.name()
    if by == "instructor":
        instructor = db.session.get(Instructor, object_id) or abort(404)
        user: User = instructor.user
        return f"{user.first_name} {user.last_name}"
    district = db.session.get(District, object_id) or abort(404)
    return district.name()


@bp.get("/hours/<by>/<key>")
@require_roles(*VIEWERS)
def totals(by: str, key: str):
    """The tasks whose confirmed hours make up one total of the dashboard."""
    if by not in queries.DIMENSIONS:
        abort(404)
    form, rng = _form_and_range()
    if rng is None:
        return _invalid(form, t.dimension_title(by))
    found = queries.dimension_filter(by, key, rng)
    if found is None:
        abort(404)
    condition, part = found
    label = _total_label(by, key)
    title = _("%(dimension)s: %(name)s", dimension=t.dimension_heading(by), name=label)
    rows = queries.tasks_behind(db.session, part, condition, current_locale())
    table = t.tasks_table(_("Tasks behind the hours: %(name)s", name=label), rows, rng)
    fmt = _format()
    if fmt:
        return table_response(fmt, _filename(f"hours-{by}-{key}", part), table.export)
    return render_template(
        "dashboard/totals.html",
        form=form,
        rng=rng,
        part=part,
        by=by,
        key=key,
        title=title,
        table=table,
    )


@bp.get("/tasks/<int:task_id>")
@require_roles(*VIEWERS)
def task(task_id: int):
    """A task's shifts in the range: slots filled and confirmed hours."""
    found = get_visible(Task, task_id, current_user)
    form, rng = _form_and_range()
    if rng is None:
        return _invalid(form, found.title)
    rows = queries.task_shifts(db.session, rng, found.id)
    table = t.shifts_table(_("Shifts of %(task)s", task=found.title), rows, rng)
    fmt = _format()
    if fmt:
        return table_response(fmt, _filename(f"task-{found.id}-shifts", rng), table.export)
    return render_template("dashboard/task.html", form=form, rng=rng, task=found, table=table)


@bp.get("/shifts/<int:shift_id>")
@require_roles(*VIEWERS)
def shift(shift_id: int):
    """Who worked on a shift, as much as a manager needs (first name and initial,
    status, hours). Each person shown is written to the audit log."""
    found = get_visible(Shift, shift_id, current_user)
    form, rng = _form_and_range()
    if rng is None:
        return _invalid(form, found.task.title)
    fmt = _format()
    people = queries.shift_people(db.session, found.id)
    for person in people:
        audit.record(
            "dashboard.shift_people_viewed",
            found,
            participant_id=person.participant_id,
            detail={"download": fmt} if fmt else None,
        )
    db.session.commit()
    when = clock.to_local(found.starts_at)
    table = t.people_table(
        _("People on the shift %(when)s", when=format_datetime(when, "short")), people
    )
    if fmt:
        return table_response(fmt, f"shift-{found.id}-people", table.export)
    return render_template(
        "dashboard/shift.html",
        form=form,
        rng=rng,
        shift=found,
        table=table,
        task_url=url_for("dashboard.task", task_id=found.task_id, **rng.as_args()),
    )
