"""Names of report periods and absence checks as people read them (lazy: safe at import).

The names of absence kinds are `jobcenter.hours.forms.ABSENCE_LABELS` (one table for
the attendance sheet, the reports and the dashboard)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from jobcenter.reports.allowance import AbsenceCheck
from jobcenter.reports.periods import PeriodKind

PERIOD_LABELS = {
    PeriodKind.TWO_WEEKS: _l("Two weeks"),
    PeriodKind.MONTH: _l("Calendar month"),
}


def absence_check(item: Any) -> str:
    """What to check about one absence day of the allowance report (empty if nothing)."""
    if item.check == AbsenceCheck.CERTIFICATE_NEEDED:
        return _("Day %(day)d of the illness: a medical certificate is needed.", day=item.spell_day)
    if item.check == AbsenceCheck.OVER_LIMIT:
        return _(
            "Day %(day)d with a sick child: the benefit is kept for 4 days only.",
            day=item.spell_day,
        )
    return ""
