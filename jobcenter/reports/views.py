"""Report pages: allowance days for Kela, wages, billing, who is close to their
earnings ceiling, and a participant's own hours and earnings.

Views stay thin: read the picker (422 with messages on bad input), call one query of
this package, write the audit log for people's rows shown to staff, then render the
page, its printable version (`?view=print`) or a download (`?format=csv|xlsx`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from jobcenter.admin.labels import STREAM_LABELS, format_euros
from jobcenter.core import audit, clock
from jobcenter.core.authz import require_roles, scope
from jobcenter.core.enums import Role
from jobcenter.core.exports import FORMATS, Table, euros_value, hours_value, table_response
from jobcenter.extensions import db
from jobcenter.hours.forms import ABSENCE_LABELS
from jobcenter.participants.models import Group, Participant
from jobcenter.reports import allowance as allowance_q
from jobcenter.reports import billing as billing_q
from jobcenter.reports import earnings as earnings_q
from jobcenter.reports import wages as wages_q
from jobcenter.reports.forms import AllowanceForm, MonthForm, months_around
from jobcenter.reports.labels import PERIOD_LABELS, absence_check
from jobcenter.reports.periods import Period
from jobcenter.units.models import Unit

bp = Blueprint("reports", __name__, url_prefix="/reports")

STAFF_WITH_PEOPLE = (Role.INSTRUCTOR, Role.ADMIN)


@bp.context_processor
def report_helpers() -> dict[str, Any]:
    return {
        "euros": format_euros,
        "stream_label": lambda stream: str(STREAM_LABELS.get(stream, stream)),
        "absence_labels": ABSENCE_LABELS,
        "absence_check": absence_check,
        "period_words": period_words,
    }


def period_words(period: Period) -> str:
    return _(
        "%(first)s – %(last)s",
        first=format_date(period.first, "medium"),
        last=format_date(period.last, "medium"),
    )


def _export_format() -> str | None:
    fmt = request.args.get("format")
    if fmt is None:
        return None
    if fmt not in FORMATS:
        abort(404)
    return fmt


def _view_args() -> dict[str, str]:
    """The picker's current values, for the export and print links."""
    return {k: v for k, v in request.args.items() if k not in ("format", "view", "lang")}


def _is_print() -> bool:
    return request.args.get("view") == "print"


def _audit_people(action: str, participant_ids: list[int], period: Period, **detail: Any):
    """Staff saw these people's rows: one audit event per person, committed now."""
    for pid in participant_ids:
        audit.record(
            action,
            participant_id=pid,
            detail={"first": period.first.isoformat(), "last": period.last.isoformat(), **detail},
        )
    db.session.commit()


def _group_choices(everything: str) -> list[tuple[str, str]]:
    groups = db.session.execute(
        scope(sa.select(Group.id, Group.name).order_by(Group.name, Group.id), Group, current_user)
    ).all()
    return [("", everything), *((str(gid), name) for gid, name in groups)]


def _choice_label(choices: list[Any], chosen: int | None) -> str | None:
    if chosen is None:
        return None
    return next((str(c.label) for c in choices if c.value == str(chosen)), None)


def _page(template: str, status: int = 200, **context: Any):
    context.setdefault("print_view", _is_print())
    context.setdefault("view_args", _view_args())
    return render_template(template, **context), status


# ---------------------------------------------------------------- allowance days


@bp.get("/allowance")
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def allowance():
    form = AllowanceForm(request.args, {"group": _group_choices(_("All groups"))})
    parsed = form.parse()
    if parsed is None:
        return _page("reports/allowance.html", 422, form=form, report=None)
    period, group_id = parsed
    report = allowance_q.allowance_report(db.session, current_user, period, group_id=group_id)
    fmt = _export_format()
    ids = [row.participant_id for row in report.rows]
    if fmt:
        _audit_people("report.allowance.exported", ids, period, format=fmt)
        return table_response(fmt, f"allowance-{period.slug}", _allowance_tables(report))
    _audit_people("report.allowance.viewed", ids, period)
    group_name = _choice_label(form.group.choices, group_id)
    return _page(
        "reports/allowance.html",
        form=form,
        report=report,
        group_name=group_name,
        kinds=allowance_q.ABSENCE_ORDER,
        period_label=PERIOD_LABELS[period.kind] if period.kind else "",
    )


def _allowance_tables(report: allowance_q.AllowanceReport) -> list[Table]:
    kinds = allowance_q.ABSENCE_ORDER
    days = Table(
        _("Allowance days"),
        [
            _("Last name"),
            _("First name"),
            _("Stream"),
            _("Period starts"),
            _("Period ends"),
            _("Attended days"),
            *(str(ABSENCE_LABELS[k]) for k in kinds),
            _("Absences keeping the benefit"),
            _("Absences costing the benefit"),
            _("Service not organised (public holiday)"),
            _("Days that earn the allowance"),
            _("Allowance (€)"),
        ],
    )
    for row in report.rows:
        days.add(
            row.last_name,
            row.first_name,
            str(STREAM_LABELS[row.stream]),
            report.period.first,
            report.period.last,
            row.attended_days,
            *(row.absences.get(k, 0) for k in kinds),
            row.benefit_kept_days,
            row.benefit_lost_days,
            row.not_organised_days,
            row.earning_days,
            euros_value(row.allowance_cents),
        )
    absences = Table(
        _("Absences"), [_("Last name"), _("First name"), _("Date"), _("Reason"), _("To check")]
    )
    for item in report.absence_days:
        absences.add(
            item.last_name,
            item.first_name,
            item.day,
            str(ABSENCE_LABELS[item.kind]),
            absence_check(item),
        )
    return [days, absences]


# ---------------------------------------------------------------- wages


@bp.get("/wages")
@require_roles(Role.ADMIN, Role.MANAGER, Role.INSTRUCTOR)
def wages():
    form = MonthForm(request.args, {"group": _group_choices(_("All groups")), "unit": []})
    parsed = form.parse("group")
    if parsed is None:
        return _page("reports/wages.html", 422, form=form, report=None)
    period, chosen = parsed
    report = wages_q.wages_report(db.session, current_user, period, group_id=chosen["group"])
    fmt = _export_format()
    ids = [row.participant_id for row in report.rows]
    if fmt:
        _audit_people("report.wages.exported", ids, period, format=fmt)
        return table_response(fmt, f"wages-{period.first:%Y-%m}", _wages_table(report))
    _audit_people("report.wages.viewed", ids, period)
    before, after = months_around(period)
    return _page("reports/wages.html", form=form, report=report, before=before, after=after)


def _wages_table(report: wages_q.WagesReport) -> Table:
    table = Table(
        _("Wages"),
        [
            _("Last name"),
            _("First name"),
            _("Stream"),
            _("Month"),
            _("Minutes"),
            _("Hours"),
            _("Wage (€)"),
            _("Corrections after the month was closed"),
        ],
    )
    for row in report.rows:
        table.add(
            row.last_name,
            row.first_name,
            str(STREAM_LABELS[row.stream]),
            f"{report.period.first:%Y-%m}",
            row.minutes,
            hours_value(row.minutes),
            euros_value(row.wage_cents),
            row.late_corrections,
        )
    return table


# ---------------------------------------------------------------- billing


@bp.get("/billing")
@require_roles(Role.ADMIN, Role.MANAGER, Role.UNIT_CONTACT)
def billing():
    unit_choices: list[tuple[str, str]] = []
    if current_user.role != Role.UNIT_CONTACT:
        units = db.session.execute(
            scope(sa.select(Unit.id, Unit.name).order_by(Unit.name), Unit, current_user)
        ).all()
        unit_choices = [("", _("All units")), *((str(uid), name) for uid, name in units)]
    form = MonthForm(request.args, {"group": [], "unit": unit_choices})
    parsed = form.parse("unit") if unit_choices else form.parse()
    if parsed is None:
        return _page(
            "reports/billing.html", 422, form=form, report=None, choose_unit=bool(unit_choices)
        )
    period, chosen = parsed
    report = billing_q.billing_report(db.session, current_user, period, unit_id=chosen.get("unit"))
    fmt = _export_format()
    if fmt:
        return table_response(fmt, f"billing-{period.first:%Y-%m}", _billing_tables(report))
    before, after = months_around(period)
    return _page(
        "reports/billing.html",
        form=form,
        report=report,
        choose_unit=bool(unit_choices),
        before=before,
        after=after,
    )


def _billing_tables(report: billing_q.BillingReport) -> list[Table]:
    month = f"{report.period.first:%Y-%m}"
    units = Table(
        _("Billing per unit"),
        [
            _("Unit"),
            _("Business ID"),
            _("Billing reference"),
            _("Month"),
            _("Hours"),
            _("Net (€)"),
            _("VAT (€)"),
            _("Total (€)"),
        ],
    )
    tasks = Table(
        _("Tasks"),
        [
            _("Unit"),
            _("Task"),
            _("Task number"),
            _("Task kind"),
            _("Month"),
            _("Hours"),
            _("Net (€)"),
            _("VAT (€)"),
            _("Total (€)"),
            _("Corrections after the month was closed"),
        ],
    )
    for bill in report.units:
        units.add(
            bill.unit_name,
            bill.business_id,
            bill.billing_reference,
            month,
            hours_value(bill.minutes),
            euros_value(bill.net_cents),
            euros_value(bill.vat_cents),
            euros_value(bill.gross_cents),
        )
        for line in bill.lines:
            tasks.add(
                bill.unit_name,
                line.title,
                line.task_id,
                line.task_kind.name(),
                month,
                hours_value(line.minutes),
                euros_value(line.net_cents),
                euros_value(line.vat_cents),
                euros_value(line.gross_cents),
                line.late_corrections,
            )
    return [units, tasks]


# ---------------------------------------------------------------- earnings ceiling


@bp.get("/ceiling")
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def ceiling():
    form = MonthForm(request.args, {"group": [], "unit": []})
    parsed = form.parse()
    if parsed is None:
        return _page("reports/ceiling.html", 422, form=form, rows=None)
    period, _chosen = parsed
    rows = earnings_q.close_to_ceiling(db.session, current_user, period.first)
    fmt = _export_format()
    ids = [row.participant_id for row in rows]
    if fmt:
        _audit_people("report.ceiling.exported", ids, period, format=fmt)
        return table_response(fmt, f"earnings-ceiling-{period.first:%Y-%m}", _ceiling_table(rows))
    _audit_people("report.ceiling.viewed", ids, period)
    return _page(
        "reports/ceiling.html",
        form=form,
        rows=rows,
        period=period,
        share=int(earnings_q.CLOSE_SHARE * 100),
    )


def _ceiling_table(rows: list[earnings_q.CeilingRow]) -> Table:
    table = Table(
        _("Close to the earnings ceiling"),
        [
            _("Last name"),
            _("First name"),
            _("Confirmed (€)"),
            _("Planned (€)"),
            _("Projected (€)"),
            _("Ceiling (€)"),
            _("Share of the ceiling (%)"),
        ],
    )
    for row in rows:
        e = row.earnings
        table.add(
            row.last_name,
            row.first_name,
            euros_value(e.confirmed_cents),
            euros_value(e.planned_cents),
            euros_value(e.projected_cents),
            euros_value(e.ceiling_cents or 0),
            e.percent_of_ceiling,
        )
    return table


# ---------------------------------------------------------------- my earnings


@bp.get("/my-earnings")
@require_roles(Role.PARTICIPANT)
def my_earnings():
    participant = db.session.scalar(
        scope(sa.select(Participant), Participant, current_user).limit(1)
    )
    if participant is None:
        abort(404)
    form = MonthForm(request.args, {"group": [], "unit": []})
    parsed = form.parse()
    if parsed is None:
        return _page("reports/my_earnings.html", 422, form=form, earnings=None)
    period, _chosen = parsed
    figures = earnings_q.participant_earnings(db.session, participant, period.first)
    days = earnings_q.hours_by_day(db.session, participant.id, period.first)
    before, after = months_around(period)
    return _page(
        "reports/my_earnings.html",
        form=form,
        earnings=figures,
        days=days,
        period=period,
        this_month=period.first == clock.today().replace(day=1),
        before=before,
        after=after,
    )
