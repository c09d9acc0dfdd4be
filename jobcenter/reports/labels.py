"""Names of absence kinds and periods as people read them (lazy: safe at import)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from jobcenter.hours.models import AbsenceKind
from jobcenter.reports.periods import PeriodKind

ABSENCE_LABELS = {
    AbsenceKind.OWN_ILLNESS: _l("Own illness"),
    AbsenceKind.SICK_CHILD: _l("Sick child"),
    AbsenceKind.JOB_INTERVIEW: _l("Job interview"),
    AbsenceKind.PUBLIC_OFFICE: _l("Public office"),
    AbsenceKind.OTHER_EXCUSED: _l("Other excused absence"),
    AbsenceKind.UNEXCUSED: _l("Unexcused absence"),
}

PERIOD_LABELS = {
    PeriodKind.TWO_WEEKS: _l("Two weeks"),
    PeriodKind.MONTH: _l("Calendar month"),
}
