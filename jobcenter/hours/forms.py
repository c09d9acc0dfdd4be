"""Reading the attendance sheet's fields (one set per person, keyed by assignment id).

The sheet has a row per person, so it is read from the posted fields directly rather
than a fixed WTForms class (CSRF is checked for every POST by Flask-WTF's CSRFProtect).
Field names: `present-<id>` ("present" / "absent"), `start-<id>` and `end-<id>`
(a quarter-hour option's value, local time "YYYY-MM-DDTHH:MM"; a recorded time off the
quarter hours is an option too, see `time_choices`), `late-<id>`,
`left_early-<id>` (checkboxes), `kind-<id>` (absence kind) and `note-<id>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from jobcenter.core import clock
from jobcenter.core.errors import ValidationFailed
from jobcenter.core.i18n import clock_time, format_skeleton
from jobcenter.hours.attendance import QUARTER, Entry
from jobcenter.hours.models import AbsenceKind
from jobcenter.scheduling.models import Shift

# The one wording of each absence kind: the sheet's choices, the allowance report's
# columns and downloads and the dashboard's attendance table all read it from here.
ABSENCE_LABELS = {
    AbsenceKind.OWN_ILLNESS: _l("Own illness"),
    AbsenceKind.SICK_CHILD: _l("Sick child"),
    AbsenceKind.JOB_INTERVIEW: _l("Job interview"),
    AbsenceKind.PUBLIC_OFFICE: _l("Public office"),
    AbsenceKind.OTHER_EXCUSED: _l("Other excused absence"),
    AbsenceKind.UNEXCUSED: _l("Unexcused absence"),
}
# Quarter-hour choices around the shift: this far before its start and after its end.
MARGIN = timedelta(hours=3)


def time_value(moment: datetime) -> str:
    """The option value of a moment: local "YYYY-MM-DDTHH:MM" (with ":SS" only when a
    recorded time has seconds, so that the value reads back as exactly that time)."""
    local = clock.to_local(moment)
    if local.second or local.microsecond:
        return local.strftime("%Y-%m-%dT%H:%M:%S")
    return local.strftime("%Y-%m-%dT%H:%M")


def _label(local: datetime, first_day: date) -> str:
    label = clock_time(local)  # fi "9.30", sv/en "09:30"
    if local.date() != first_day:
        label = f"{format_skeleton('Md', local.date())} {label}"
    return label


def time_options(shift: Shift) -> list[tuple[str, str]]:
    """(value, label) quarter hours from 3 h before the start to 3 h after the end."""
    first = clock.to_local(shift.starts_at - MARGIN)
    moment = first.replace(minute=first.minute - first.minute % QUARTER, second=0, microsecond=0)
    moment = moment.astimezone(UTC)  # step in real time, also across a DST change
    last = shift.ends_at + MARGIN
    first_day = clock.to_local(shift.starts_at).date()
    options = []
    while moment <= last:
        local = clock.to_local(moment)
        options.append((time_value(local), _label(local, first_day)))
        moment = moment + timedelta(minutes=QUARTER)
    return options


def time_choices(
    shift: Shift, options: list[tuple[str, str]], *values: str | None
) -> list[tuple[str, str]]:
    """`options` with each of `values` that is not among them added in its place in
    time: a select must be able to show the time it holds (a recorded time off the
    quarter hours, or outside the choices around the shift), else the browser shows the
    first option and saving the form would silently store that time instead."""
    known = {value for value, _label_text in options}
    first_day = clock.to_local(shift.starts_at).date()
    extra = []
    for raw in values:
        if not raw or raw in known:
            continue
        moment = parse_time(raw)
        if moment is None:
            continue
        value = time_value(moment)
        if value != raw or value in known:
            continue
        known.add(value)
        extra.append((value, _label(clock.to_local(moment), first_day)))
    if not extra:
        return options
    # Values of one format sort in time as text ("…T10:10" < "…T10:10:30" < "…T10:15").
    return sorted([*options, *extra], key=lambda option: option[0])


def parse_time(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=clock.HELSINKI)
    return parsed


def read_entry(form: Mapping[str, str], key: str, *, prefix: str = "") -> Entry:
    """The entry for one row (`key` = assignment id, or "" for a single-record form)."""

    def get(name: str) -> str:
        return (form.get(f"{prefix}{name}-{key}" if key else f"{prefix}{name}") or "").strip()

    choice = get("present")
    errors: dict[str, list[str]] = {}
    if choice not in ("present", "absent"):
        errors["present"] = [_("Choose present or absent.")]
    present = choice == "present"
    start = end = None
    kind = None
    if present:
        start, end = parse_time(get("start")), parse_time(get("end"))
        if get("start") and start is None:
            errors["start"] = [_("Choose a time from the list.")]
        if get("end") and end is None:
            errors["end"] = [_("Choose a time from the list.")]
    elif choice == "absent":
        raw_kind = get("kind")
        if raw_kind:
            try:
                kind = AbsenceKind(raw_kind)
            except ValueError:
                errors["absence_kind"] = [_("Choose the kind of absence.")]
    if errors:
        raise ValidationFailed(errors)
    return Entry(
        present=present,
        start=start,
        end=end,
        late=bool(get("late")),
        left_early=bool(get("left_early")),
        absence_kind=kind,
        note=get("note"),
    )
