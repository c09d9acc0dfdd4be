"""The engine's reasons and warnings as sentences in the reader's language.

The engine (pure, no Flask) says *why* with a stable ``code`` and ``params``; its
English ``message``/``text`` is for logs, the command line and the API. The web layer
turns code + params into a translated, plain sentence here, with Flask-Babel
(`gettext`/`ngettext` and ``%(name)s`` placeholders).

Three kinds of sentence:

* :func:`unfilled_reason` - one line of an open slot's funnel ("2 participants are
  away that day."), from ``MatchingRun.result["unfilled"][i]["reasons"][j]``;
* :func:`pair_reason` - why one named person cannot take one shift ("Aino Virtanen
  is away on Tuesday 10.3."), from :func:`jobcenter.matching.explain.explain_pair`;
* :func:`warning` - a run warning, either the engine's structured
  ``{"code", "params", "text"}`` or an older plain string (shown as it is).

What the params do not carry (the shift's day and time, task kind, whether an
instructor is on site) comes from the database shift through :class:`ShiftWords`;
names of skills, shifts and instructors come through small look-up callables, so
the sentences never show an internal id when a name is known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from jobcenter.core import clock
from jobcenter.core.i18n import clock_time, day_in_words, format_skeleton, short_date
from jobcenter.core.web import minutes_as_hours
from jobcenter.matching.model import NoticeCode, ReasonCode

# Board-only reasons (not engine codes): the person or the shift is not in the week's
# planning at all.
NO_PLAN_THIS_WEEK = "no_plan_this_week"
SHIFT_NOT_OPEN = "shift_not_open"

Lookup = Callable[[str], str]


def _same(value: str) -> str:
    return value


@dataclass(frozen=True)
class ShiftWords:
    """What a sentence may say about a shift: local start and end, task kind name,
    and the supervision facts the funnel's wording depends on."""

    starts_at: datetime
    ends_at: datetime
    kind: str = ""
    has_instructor: bool = False
    holiday_work_allowed: bool = False

    @classmethod
    def of(cls, shift: Any) -> ShiftWords:
        """From a database `Shift` (with its task and task kind loaded)."""
        task = shift.task
        return cls(
            starts_at=clock.to_local(shift.starts_at),
            ends_at=clock.to_local(shift.ends_at),
            kind=task.task_kind.name() if task.task_kind is not None else "",
            has_instructor=shift.instructor_id is not None,
            holiday_work_allowed=bool(task.include_public_holidays),
        )

    @property
    def day(self) -> date:
        return self.starts_at.date()


@dataclass(frozen=True)
class Names:
    """Look-ups from engine ids and codes to names people know."""

    skill: Lookup = _same
    shift: Lookup = _same
    instructor: Lookup = _same
    participant: Lookup = _same


def shift_label(shift: Any) -> str:
    """A database shift as "ma 9.3. 9.00–13.00 Ikkunanpesu" (day, time, task title)."""
    start, end = clock.to_local(shift.starts_at), clock.to_local(shift.ends_at)
    return _(
        "%(day)s %(start)s–%(end)s %(title)s",
        day=format_skeleton("MEd", start.date()),
        start=clock_time(start),
        end=clock_time(end),
        title=shift.task.title,
    )


# ------------------------------------------------------------------ small formats


def _code_params(reason: Any) -> tuple[str, dict[str, Any], int | None]:
    """(code, params, count) of an engine `Reason`/`Notice` or of its stored dict."""
    if isinstance(reason, Mapping):
        return (
            str(reason.get("code", "")),
            dict(reason.get("params") or {}),
            reason.get("count"),
        )
    return (
        str(reason.code),
        dict(getattr(reason, "params", None) or {}),
        getattr(reason, "count", None),
    )


def _clock(value: datetime) -> str:
    # 9 → "9" in Finnish and Swedish ("klo 9"), "09:00" in English.
    from jobcenter.core.i18n import _clock_time

    return _clock_time(value.time())


def _day(value: date) -> str:
    return day_in_words(value, sentence_start=False)


def _when(sw: ShiftWords) -> str:
    return _(
        "%(day)s at %(start)s–%(end)s",
        day=_day(sw.day),
        start=_clock(sw.starts_at),
        end=_clock(sw.ends_at),
    )


def _hours(minutes: Any) -> str:
    try:
        return _("%(hours)s h", hours=minutes_as_hours(int(minutes)))
    except (TypeError, ValueError):
        return str(minutes)


def _iso_day(value: Any) -> str:
    try:
        return short_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _month(value: Any) -> str:
    try:
        first = date.fromisoformat(f"{value}-01")
    except ValueError:
        return str(value)
    return format_skeleton("yMMMM", first)


def _list(names: list[str]) -> str:
    """ "Aino", "Aino and Eero", "Aino, Eero and Saara"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s and %(last)s", names=", ".join(names[:-1]), last=names[-1])


def _quoted(names: list[str]) -> str:
    return ", ".join(_("“%(name)s”", name=n) for n in names)


# ------------------------------------------------------------ unfilled (funnel)


def _u_plan_dates(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant has no plan in force on %(day)s.",
        "%(num)d participants have no plan in force on %(day)s.",
        n,
        day=_day(sw.day),
    )


def _u_holiday(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    if not sw.holiday_work_allowed:
        return _(
            "%(day)s is a public holiday, and this task is not done on holidays.",
            day=day_in_words(sw.day),
        )
    return ngettext(
        "%(num)d participant does not work on public holidays.",
        "%(num)d participants do not work on public holidays.",
        n,
    )


def _u_day_away(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant is away that day.", "%(num)d participants are away that day.", n
    )


def _u_availability(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant is not available on %(when)s.",
        "%(num)d participants are not available on %(when)s.",
        n,
        when=_when(sw),
    )


def _u_skills(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    missing = [names.skill(str(k)) for k in p.get("missing") or []]
    if len(missing) == 1:
        return ngettext(
            "%(num)d participant lacks the skill %(skill)s.",
            "%(num)d participants lack the skill %(skill)s.",
            n,
            skill=_quoted(missing),
        )
    return ngettext(
        "%(num)d participant lacks a required skill (%(skills)s).",
        "%(num)d participants lack a required skill (%(skills)s).",
        n,
        skills=_quoted(missing) or "-",
    )


def _u_avoided_kind(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant avoids the task kind %(kind)s.",
        "%(num)d participants avoid the task kind %(kind)s.",
        n,
        kind=_quoted([sw.kind]),
    )


def _u_supervision(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    if not sw.has_instructor:
        return ngettext(
            "%(num)d participant needs an instructor on site, and the shift has none.",
            "%(num)d participants need an instructor on site, and the shift has none.",
            n,
        )
    return ngettext(
        "%(num)d participant needs more supervision than the shift can give.",
        "%(num)d participants need more supervision than the shift can give.",
        n,
    )


def _u_orientation(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant is new to this task or site. The first time needs an "
        "instructor on site, and the shift has none.",
        "%(num)d participants are new to this task or site. The first time needs an "
        "instructor on site, and the shift has none.",
        n,
    )


def _u_overlap(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant who could do it already has another shift at that time, or "
        "too close to it.",
        "%(num)d participants who could do it already have another shift at that time, or "
        "too close to it.",
        n,
    )


def _u_daily_hours(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant who could do it would go over the hours allowed that day.",
        "%(num)d participants who could do it would go over the hours allowed that day.",
        n,
    )


def _u_days_per_week(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant who could do it already works the days allowed this week.",
        "%(num)d participants who could do it already work the days allowed this week.",
        n,
    )


def _u_weekly_hours(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant who could do it has reached the hours allowed this week.",
        "%(num)d participants who could do it have reached the hours allowed this week.",
        n,
    )


def _u_earnings_ceiling(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant who could do it would go over their monthly earnings ceiling.",
        "%(num)d participants who could do it would go over their monthly earnings ceiling.",
        n,
    )


def _u_instructor_capacity(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant who could do it needs supervision, and the instructor has "
        "no capacity left.",
        "%(num)d participants who could do it need supervision, and the instructor has "
        "no capacity left.",
        n,
    )


def _u_slots_full(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return _("All slots of the shift are taken.")


def _u_better_fit(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant could do it, but the slots went to people who fit better.",
        "%(num)d participants could do it, but the slots went to people who fit better.",
        n,
    )


def _u_assigned(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant is already on the shift.",
        "%(num)d participants are already on the shift.",
        n,
    )


def _u_could_be_added(n: int, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(num)d participant could still be added: no rule stops it.",
        "%(num)d participants could still be added: no rule stops it.",
        n,
    )


UNFILLED: dict[str, Callable[[int, dict, ShiftWords, Names], str]] = {
    ReasonCode.PLAN_DATES: _u_plan_dates,
    ReasonCode.HOLIDAY: _u_holiday,
    ReasonCode.DAY_AWAY: _u_day_away,
    ReasonCode.AVAILABILITY: _u_availability,
    ReasonCode.SKILLS: _u_skills,
    ReasonCode.AVOIDED_KIND: _u_avoided_kind,
    ReasonCode.SUPERVISION: _u_supervision,
    ReasonCode.ORIENTATION: _u_orientation,
    ReasonCode.OVERLAP: _u_overlap,
    ReasonCode.DAILY_HOURS: _u_daily_hours,
    ReasonCode.DAYS_PER_WEEK: _u_days_per_week,
    ReasonCode.WEEKLY_HOURS: _u_weekly_hours,
    ReasonCode.EARNINGS_CEILING: _u_earnings_ceiling,
    ReasonCode.INSTRUCTOR_CAPACITY: _u_instructor_capacity,
    ReasonCode.SLOTS_FULL: _u_slots_full,
    ReasonCode.BETTER_FIT_CHOSEN: _u_better_fit,
    ReasonCode.ASSIGNED: _u_assigned,
    ReasonCode.LOCKED: _u_assigned,
    ReasonCode.COULD_BE_ADDED: _u_could_be_added,
}


def unfilled_reason(reason: Any, shift: ShiftWords, names: Names | None = None) -> str:
    """One line of an open slot's funnel, e.g. "2 participants are away that day."."""
    code, params, count = _code_params(reason)
    say = UNFILLED.get(code)
    if say is None:  # a code newer than this module: keep the engine's English
        return str(reason.get("message", code) if isinstance(reason, Mapping) else reason)
    return say(int(count or 0), params, shift, names or Names())


def unfilled_headline(open_slots: int, slots: int) -> str:
    return ngettext(
        "%(num)d slot of %(slots)d is open.",
        "%(num)d slots of %(slots)d are open.",
        open_slots,
        slots=slots,
    )


# ------------------------------------------------------------------ one person


def _p_plan_dates(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    if "plan_start" not in p or "plan_end" not in p:
        return _p_no_plan(name, p, sw, names)
    return _(
        "The plan of %(name)s runs from %(start)s to %(end)s, so not on %(day)s.",
        name=name,
        start=_iso_day(p["plan_start"]),
        end=_iso_day(p["plan_end"]),
        day=_day(sw.day),
    )


def _p_no_plan(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _("%(name)s has no plan in force this week.", name=name)


def _p_holiday(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    if not sw.holiday_work_allowed:
        return _(
            "%(day)s is a public holiday, and this task is not done on holidays.",
            day=day_in_words(sw.day),
        )
    return _(
        "%(day)s is a public holiday, and %(name)s does not work on holidays.",
        day=day_in_words(sw.day),
        name=name,
    )


def _p_day_away(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _("%(name)s is away on %(day)s.", name=name, day=_day(sw.day))


def _p_availability(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _("%(name)s is not available on %(when)s.", name=name, when=_when(sw))


def _p_skills(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    missing = [names.skill(str(k)) for k in p.get("missing") or []]
    return ngettext(
        "%(name)s lacks the skill %(skills)s.",
        "%(name)s lacks the skills %(skills)s.",
        max(len(missing), 1),
        name=name,
        skills=_quoted(missing) or "-",
    )


def _p_avoided_kind(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _("%(name)s avoids the task kind %(kind)s.", name=name, kind=_quoted([sw.kind]))


def _p_supervision(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    if int(p.get("level", 2)) >= 2:
        return _("%(name)s needs an instructor on site, and the shift has none.", name=name)
    return _(
        "%(name)s needs someone to call: the site gives no guidance, no instructor is on "
        "site and their own instructor is not available then.",
        name=name,
    )


def _p_orientation(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _(
        "This would be the first shift of %(name)s on this task or at this site. The "
        "first time needs an instructor on site, and the shift has none.",
        name=name,
    )


def _p_slots_full(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    if "slots" in p:
        return ngettext(
            "The shift's only slot is taken.",
            "All %(num)d slots of the shift are taken.",
            int(p["slots"]),
        )
    return _("All slots of the shift are taken.")


def _p_overlap(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    others = [names.shift(str(s)) for s in p.get("shifts") or []]
    if others:
        return _(
            "%(name)s has another shift at that time, or too close to it to get there: %(shifts)s.",
            name=name,
            shifts="; ".join(others),
        )
    return _("%(name)s has another shift at that time, or too close to it to get there.", name=name)


def _p_daily_hours(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _(
        "%(name)s already has %(planned)s that day, and the limit is %(limit)s.",
        name=name,
        planned=_hours(p.get("planned_minutes", 0)),
        limit=_hours(p.get("limit_minutes", 0)),
    )


def _p_days_per_week(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(name)s already works %(planned)d days this week, and the limit is %(num)d day.",
        "%(name)s already works %(planned)d days this week, and the limit is %(num)d days.",
        int(p.get("limit_days", 0)),
        name=name,
        planned=int(p.get("planned_days", 0)),
    )


def _p_weekly_hours(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _(
        "%(name)s already has %(planned)s this week, and the limit is %(limit)s.",
        name=name,
        planned=_hours(p.get("planned_minutes", 0)),
        limit=_hours(p.get("limit_minutes", 0)),
    )


def _p_earnings_ceiling(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _(
        "The pay for this shift would take %(name)s over their earnings ceiling for %(month)s.",
        name=name,
        month=_month(p.get("month", "")),
    )


def _p_instructor_capacity(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return ngettext(
        "%(name)s needs supervision, and the instructor, who can supervise %(num)d person "
        "at once, has no capacity left.",
        "%(name)s needs supervision, and the instructor, who can supervise %(num)d people "
        "at once, has no capacity left.",
        int(p.get("capacity", 0)),
        name=name,
    )


def _p_better_fit(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    chosen = [names.participant(str(c)) for c in p.get("chosen") or []]
    if chosen:
        return _(
            "%(name)s could do this shift, but its slots went to %(chosen)s, who fit the "
            "week's plan better.",
            name=name,
            chosen=_list(chosen),
        )
    return _(
        "%(name)s could do this shift, but its slots went to people who fit the week's "
        "plan better.",
        name=name,
    )


def _p_assigned(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _("%(name)s is already on this shift.", name=name)


def _p_could_be_added(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _("%(name)s can take this shift: no rule stops it.", name=name)


def _p_shift_not_open(name: str, p: dict, sw: ShiftWords, names: Names) -> str:
    return _("This shift is not open for planning: it is full or no longer planned.")


PAIR: dict[str, Callable[[str, dict, ShiftWords, Names], str]] = {
    ReasonCode.PLAN_DATES: _p_plan_dates,
    ReasonCode.HOLIDAY: _p_holiday,
    ReasonCode.DAY_AWAY: _p_day_away,
    ReasonCode.AVAILABILITY: _p_availability,
    ReasonCode.SKILLS: _p_skills,
    ReasonCode.AVOIDED_KIND: _p_avoided_kind,
    ReasonCode.SUPERVISION: _p_supervision,
    ReasonCode.ORIENTATION: _p_orientation,
    ReasonCode.OVERLAP: _p_overlap,
    ReasonCode.DAILY_HOURS: _p_daily_hours,
    ReasonCode.DAYS_PER_WEEK: _p_days_per_week,
    ReasonCode.WEEKLY_HOURS: _p_weekly_hours,
    ReasonCode.EARNINGS_CEILING: _p_earnings_ceiling,
    ReasonCode.INSTRUCTOR_CAPACITY: _p_instructor_capacity,
    ReasonCode.SLOTS_FULL: _p_slots_full,
    ReasonCode.BETTER_FIT_CHOSEN: _p_better_fit,
    ReasonCode.ASSIGNED: _p_assigned,
    ReasonCode.LOCKED: _p_assigned,
    ReasonCode.COULD_BE_ADDED: _p_could_be_added,
    NO_PLAN_THIS_WEEK: _p_no_plan,
    SHIFT_NOT_OPEN: _p_shift_not_open,
}


def pair_reason(reason: Any, name: str, shift: ShiftWords, names: Names | None = None) -> str:
    """Why the person called ``name`` cannot take the shift, as one sentence."""
    code, params, _count = _code_params(reason)
    say = PAIR.get(code)
    if say is None:
        return str(getattr(reason, "message", None) or code)
    return say(name, params, shift, names or Names())


# ------------------------------------------------------------------ why not


# What the objective weighed when the slots went to others (`operations.Factor` codes).
FAIRNESS = "fairness"
CONTINUITY = "continuity"
PREFERENCE = "preference"
WHOLE_WEEK = "whole_week"


def _f_fairness(name: str, chosen: list[str]) -> str:
    return ngettext(
        "Fairness: %(chosen)s had fewer hours planned against the weekly target than %(name)s.",
        "Fairness: %(chosen)s had fewer hours planned against their weekly targets than %(name)s.",
        len(chosen),
        chosen=_list(chosen),
        name=name,
    )


def _f_continuity(name: str, chosen: list[str]) -> str:
    return ngettext(
        "Continuity: %(chosen)s has worked on this task before, and %(name)s has not.",
        "Continuity: %(chosen)s have worked on this task before, and %(name)s has not.",
        len(chosen),
        chosen=_list(chosen),
        name=name,
    )


def _f_preference(name: str, chosen: list[str]) -> str:
    return ngettext(
        "Preference: %(chosen)s likes this kind of task, and %(name)s has not said so.",
        "Preference: %(chosen)s like this kind of task, and %(name)s has not said so.",
        len(chosen),
        chosen=_list(chosen),
        name=name,
    )


def _f_whole_week(name: str, chosen: list[str]) -> str:
    return _(
        "No single reason stands out: matching weighs the whole week. It fills as many "
        "hours as possible first, then shares hours fairly, then keeps the same people "
        "on a task and follows wishes."
    )


FACTORS: dict[str, Callable[[str, list[str]], str]] = {
    FAIRNESS: _f_fairness,
    CONTINUITY: _f_continuity,
    PREFERENCE: _f_preference,
    WHOLE_WEEK: _f_whole_week,
}


@dataclass(frozen=True)
class WhyNotWords:
    """The answer to "why is this person not on this shift?" in the reader's language."""

    headline: str
    reasons: list[str]
    factors: list[str]


def factor(code: str, name: str, chosen: list[str]) -> str:
    """One thing the objective weighed, e.g. "Continuity: Eero has worked on this task
    before, and Aino has not."."""
    say = FACTORS.get(code)
    return say(name, chosen) if say is not None else code


def why_not(answer: Any, names: Names | None = None) -> WhyNotWords:
    """Sentences for an `operations.WhyNot` (its ``name``, ``shift``, ``reasons`` and
    ``factors``)."""
    names = names or Names()
    words = ShiftWords.of(answer.shift)
    return WhyNotWords(
        headline=_("Why not %(name)s?", name=answer.name),
        reasons=[pair_reason(r, answer.name, words, names) for r in answer.reasons],
        factors=[
            factor(f.code, answer.name, [names.participant(str(i)) for i in f.participant_ids])
            for f in answer.factors
        ],
    )


# ------------------------------------------------------------------ warnings


def _w_locked_over_slots(p: dict, names: Names) -> str:
    return ngettext(
        "%(shift)s has %(locked)d locked or confirmed people but only %(num)d slot. "
        "They all stay on it.",
        "%(shift)s has %(locked)d locked or confirmed people but only %(num)d slots. "
        "They all stay on it.",
        int(p.get("slots", 0)),
        shift=names.shift(str(p.get("shift", ""))),
        locked=int(p.get("locked", 0)),
    )


def _w_instructor_double_booked(p: dict, names: Names) -> str:
    return _(
        "%(instructor)s is also on a shift at another site at the same time or without "
        "time to travel between them, so %(shift)s counts as having no instructor on site.",
        instructor=names.instructor(str(p.get("instructor", ""))),
        shift=names.shift(str(p.get("shift", ""))),
    )


def _w_self_check_dropped(p: dict, names: Names) -> str:
    return ngettext(
        "The final check removed %(num)d proposal that broke a rule. Please run matching "
        "again or plan that shift by hand.",
        "The final check removed %(num)d proposals that broke a rule. Please run matching "
        "again or plan those shifts by hand.",
        int(p.get("dropped", 0)),
    )


WARNINGS: dict[str, Callable[[dict, Names], str]] = {
    NoticeCode.LOCKED_OVER_SLOTS: _w_locked_over_slots,
    NoticeCode.INSTRUCTOR_DOUBLE_BOOKED: _w_instructor_double_booked,
    NoticeCode.SELF_CHECK_DROPPED: _w_self_check_dropped,
}


def warning(item: Any, names: Names | None = None) -> str:
    """A run warning in the reader's language. Older runs stored plain English
    strings: those are shown as they are."""
    if isinstance(item, str):
        return item
    code, params, _count = _code_params(item)
    say = WARNINGS.get(code)
    if say is None:
        text = item.get("text") if isinstance(item, Mapping) else getattr(item, "text", None)
        return str(text or code)
    return say(params, names or Names())
