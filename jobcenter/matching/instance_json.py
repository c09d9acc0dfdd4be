"""The matching instance and solution as JSON (format documented in README.md).

``load``/``loads`` turn JSON into an :class:`Instance` and raise
:class:`InstanceError` listing every problem with its place
(``participants[3].availability[0].start: expected a time HH:MM, got '25:00'``);
``dump``/``dumps`` write the same format, so ``loads(dumps(i)) == i``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from .model import (
    Commitment,
    Instance,
    InstanceError,
    Instructor,
    LockedAssignment,
    Participant,
    Shift,
    Site,
    Solution,
    Stream,
    Window,
    validate,
)

FORMAT = "jobcenter-matching-instance/1"


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}")

    def obj(self, value: Any, place: str) -> dict:
        if not isinstance(value, dict):
            self.fail(place, f"expected an object, got {type(value).__name__}")
            return {}
        return value

    def field(self, data: dict, key: str, place: str, kind, default=..., nullable=False):
        where = f"{place}.{key}" if place else key
        if key not in data:
            if default is ...:
                self.fail(where, "is required")
                return None
            return default
        value = data[key]
        if value is None and nullable:
            return None
        return self.convert(value, where, kind)

    def convert(self, value: Any, where: str, kind):
        try:
            if kind is str:
                if not isinstance(value, str | int) or isinstance(value, bool):
                    raise ValueError
                return str(value)
            if kind is int:
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError
                return value
            if kind is bool:
                if not isinstance(value, bool):
                    raise ValueError
                return value
            if kind is date:
                return date.fromisoformat(value)
            if kind is datetime:
                parsed = datetime.fromisoformat(value)
                if parsed.tzinfo is not None:
                    raise ValueError
                return parsed
            if kind is time:
                parsed = time.fromisoformat(value)
                if len(value) != 5:
                    raise ValueError
                return parsed
        except (TypeError, ValueError):
            pass
        expected = {
            str: "a string",
            int: "a whole number",
            bool: "true or false",
            date: "a date YYYY-MM-DD",
            datetime: "a local date-time YYYY-MM-DDTHH:MM (no time zone)",
            time: "a time HH:MM",
        }[kind]
        self.fail(where, f"expected {expected}, got {value!r}")
        return None

    def items(self, data: dict, key: str, place: str, required: bool = False) -> list:
        where = f"{place}.{key}" if place else key
        if key not in data:
            if required:
                self.fail(where, "is required")
            return []
        value = data[key]
        if not isinstance(value, list):
            self.fail(where, f"expected a list, got {type(value).__name__}")
            return []
        return value

    def strings(self, data: dict, key: str, place: str) -> frozenset[str]:
        out = []
        for i, v in enumerate(self.items(data, key, place)):
            s = self.convert(v, f"{place}.{key}[{i}]", str)
            if s is not None:
                out.append(s)
        return frozenset(out)

    def windows(self, data: dict, place: str) -> tuple[Window, ...]:
        out = []
        for i, raw in enumerate(self.items(data, "availability", place)):
            where = f"{place}.availability[{i}]"
            w = self.obj(raw, where)
            weekday = self.field(w, "weekday", where, int)
            start = self.field(w, "start", where, time)
            end = self.field(w, "end", where, time)
            if None not in (weekday, start, end):
                out.append(Window(weekday, start, end))
        return tuple(out)

    def dates(self, data: dict, key: str, place: str) -> frozenset[date]:
        out = []
        for i, v in enumerate(self.items(data, key, place)):
            d = self.convert(v, f"{place}.{key}[{i}]", date)
            if d is not None:
                out.append(d)
        return frozenset(out)


def from_dict(data: Any) -> Instance:
    r = _Reader()
    data = r.obj(data, "instance")
    if data.get("format", FORMAT) != FORMAT:
        r.fail("format", f"expected {FORMAT!r}, got {data.get('format')!r}")
    week_start = r.field(data, "week_start", "", date)

    sites = []
    for i, raw in enumerate(r.items(data, "sites", "", required=True)):
        place = f"sites[{i}]"
        s = r.obj(raw, place)
        sites.append(
            Site(
                r.field(s, "id", place, str),
                r.field(s, "name", place, str, ""),
                r.field(s, "district", place, str, None, nullable=True),
            )
        )
    instructors = []
    for i, raw in enumerate(r.items(data, "instructors", "")):
        place = f"instructors[{i}]"
        s = r.obj(raw, place)
        instructors.append(
            Instructor(
                id=r.field(s, "id", place, str),
                capacity=r.field(s, "capacity", place, int),
                name=r.field(s, "name", place, str, ""),
                availability=r.windows(s, place),
                days_away=r.dates(s, "days_away", place),
            )
        )
    participants = []
    for i, raw in enumerate(r.items(data, "participants", "", required=True)):
        place = f"participants[{i}]"
        s = r.obj(raw, place)
        stream_raw = r.field(s, "stream", place, str)
        stream = None
        if stream_raw is not None:
            try:
                stream = Stream(stream_raw)
            except ValueError:
                r.fail(
                    f"{place}.stream",
                    f"expected 'rehabilitative' or 'disability', got {stream_raw!r}",
                )
        earned: dict[str, int] = {}
        raw_earned = s.get("earned_cents", {})
        if not isinstance(raw_earned, dict):
            r.fail(f"{place}.earned_cents", 'expected an object {"YYYY-MM": cents}')
        else:
            for month, cents in raw_earned.items():
                value = r.convert(cents, f"{place}.earned_cents.{month}", int)
                if value is not None:
                    earned[str(month)] = value
        commitments = []
        for j, craw in enumerate(r.items(s, "commitments", place)):
            where = f"{place}.commitments[{j}]"
            c = r.obj(craw, where)
            commitments.append(
                Commitment(
                    r.field(c, "start", where, datetime),
                    r.field(c, "end", where, datetime),
                    r.field(c, "site", where, str, None, nullable=True),
                )
            )
        participants.append(
            Participant(
                id=r.field(s, "id", place, str),
                stream=stream,
                plan_start=r.field(s, "plan_start", place, date),
                plan_end=r.field(s, "plan_end", place, date),
                supervision_level=r.field(s, "supervision_level", place, int),
                name=r.field(s, "name", place, str, ""),
                instructor=r.field(s, "instructor", place, str, None, nullable=True),
                availability=r.windows(s, place),
                days_away=r.dates(s, "days_away", place),
                skills=r.strings(s, "skills", place),
                preferred_kinds=r.strings(s, "preferred_kinds", place),
                avoided_kinds=r.strings(s, "avoided_kinds", place),
                home_district=r.field(s, "home_district", place, str, None, nullable=True),
                max_minutes_per_day=r.field(
                    s, "max_minutes_per_day", place, int, None, nullable=True
                ),
                max_days_per_week=r.field(s, "max_days_per_week", place, int, None, nullable=True),
                max_minutes_per_week=r.field(
                    s, "max_minutes_per_week", place, int, None, nullable=True
                ),
                weekly_target_minutes=r.field(
                    s, "weekly_target_minutes", place, int, None, nullable=True
                ),
                works_on_holidays=r.field(s, "works_on_holidays", place, bool, False),
                monthly_earnings_ceiling_cents=r.field(
                    s, "monthly_earnings_ceiling_cents", place, int, None, nullable=True
                ),
                earned_cents=earned,
                known_kinds=r.strings(s, "known_kinds", place),
                known_sites=r.strings(s, "known_sites", place),
                commitments=tuple(commitments),
            )
        )
    shifts = []
    for i, raw in enumerate(r.items(data, "shifts", "", required=True)):
        place = f"shifts[{i}]"
        s = r.obj(raw, place)
        shifts.append(
            Shift(
                id=r.field(s, "id", place, str),
                kind=r.field(s, "kind", place, str),
                site=r.field(s, "site", place, str),
                start=r.field(s, "start", place, datetime),
                end=r.field(s, "end", place, datetime),
                slots=r.field(s, "slots", place, int),
                task=r.field(s, "task", place, str, None, nullable=True),
                title=r.field(s, "title", place, str, ""),
                required_skills=r.strings(s, "required_skills", place),
                instructor=r.field(s, "instructor", place, str, None, nullable=True),
                site_supervision=r.field(s, "site_supervision", place, bool, False),
                paid=r.field(s, "paid", place, bool, True),
                holiday_work_allowed=r.field(s, "holiday_work_allowed", place, bool, False),
            )
        )
    locked = []
    for i, raw in enumerate(r.items(data, "locked", "")):
        place = f"locked[{i}]"
        s = r.obj(raw, place)
        locked.append(
            LockedAssignment(r.field(s, "participant", place, str), r.field(s, "shift", place, str))
        )
    travel: dict[tuple[str, str], int] = {}
    for i, raw in enumerate(r.items(data, "district_travel_minutes", "")):
        place = f"district_travel_minutes[{i}]"
        s = r.obj(raw, place)
        a = r.field(s, "from", place, str)
        b = r.field(s, "to", place, str)
        minutes = r.field(s, "minutes", place, int)
        if None not in (a, b, minutes):
            travel[(a, b)] = minutes
    previous: dict[str, frozenset[str]] = {}
    raw_prev = data.get("previous_assignees", {})
    if not isinstance(raw_prev, dict):
        r.fail("previous_assignees", "expected an object {task id: [participant ids]}")
    else:
        for task, ids in raw_prev.items():
            previous[str(task)] = r.strings({"x": ids}, "x", f"previous_assignees.{task}")

    def names(key: str) -> dict[str, str]:
        raw = data.get(key, {})
        if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
            r.fail(key, "expected an object {code: name}")
            return {}
        return {str(k): v for k, v in raw.items()}

    instance_kwargs = dict(
        week_start=week_start,
        participants=tuple(participants),
        shifts=tuple(shifts),
        instructors=tuple(instructors),
        sites=tuple(sites),
        locked=tuple(locked),
        holidays=r.dates(data, "holidays", ""),
        wage_cents_per_hour=r.field(data, "wage_cents_per_hour", "", int, 0),
        default_travel_minutes=r.field(data, "default_travel_minutes", "", int, 30),
        same_district_travel_minutes=r.field(data, "same_district_travel_minutes", "", int, 15),
        district_travel_minutes=travel,
        previous_assignees=previous,
        skill_names=names("skill_names"),
        kind_names=names("kind_names"),
    )
    if r.problems:
        raise InstanceError(r.problems)
    instance = Instance(**instance_kwargs)
    problems = validate(instance)
    if problems:
        raise InstanceError(problems)
    return instance


def loads(text: str) -> Instance:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError([f"not valid JSON: {exc}"]) from exc
    return from_dict(data)


def load(path: str) -> Instance:
    with open(path, encoding="utf-8") as fh:
        return loads(fh.read())


def _hm(t: time) -> str:
    return t.strftime("%H:%M")


def _dt(d: datetime) -> str:
    return d.isoformat(timespec="minutes")


def _windows(ws: tuple[Window, ...]) -> list[dict]:
    return [{"weekday": w.weekday, "start": _hm(w.start), "end": _hm(w.end)} for w in ws]


def to_dict(instance: Instance) -> dict:
    return {
        "format": FORMAT,
        "week_start": instance.week_start.isoformat(),
        "wage_cents_per_hour": instance.wage_cents_per_hour,
        "holidays": sorted(d.isoformat() for d in instance.holidays),
        "default_travel_minutes": instance.default_travel_minutes,
        "same_district_travel_minutes": instance.same_district_travel_minutes,
        "district_travel_minutes": [
            {"from": a, "to": b, "minutes": m}
            for (a, b), m in sorted(instance.district_travel_minutes.items())
        ],
        "skill_names": dict(sorted(instance.skill_names.items())),
        "kind_names": dict(sorted(instance.kind_names.items())),
        "sites": [{"id": s.id, "name": s.name, "district": s.district} for s in instance.sites],
        "instructors": [
            {
                "id": i.id,
                "name": i.name,
                "capacity": i.capacity,
                "availability": _windows(i.availability),
                "days_away": sorted(d.isoformat() for d in i.days_away),
            }
            for i in instance.instructors
        ],
        "participants": [
            {
                "id": p.id,
                "name": p.name,
                "stream": str(p.stream),
                "instructor": p.instructor,
                "plan_start": p.plan_start.isoformat(),
                "plan_end": p.plan_end.isoformat(),
                "supervision_level": p.supervision_level,
                "skills": sorted(p.skills),
                "preferred_kinds": sorted(p.preferred_kinds),
                "avoided_kinds": sorted(p.avoided_kinds),
                "home_district": p.home_district,
                "availability": _windows(p.availability),
                "days_away": sorted(d.isoformat() for d in p.days_away),
                "max_minutes_per_day": p.max_minutes_per_day,
                "max_days_per_week": p.max_days_per_week,
                "max_minutes_per_week": p.max_minutes_per_week,
                "weekly_target_minutes": p.weekly_target_minutes,
                "works_on_holidays": p.works_on_holidays,
                "monthly_earnings_ceiling_cents": p.monthly_earnings_ceiling_cents,
                "earned_cents": dict(sorted(p.earned_cents.items())),
                "known_kinds": sorted(p.known_kinds),
                "known_sites": sorted(p.known_sites),
                "commitments": [
                    {"start": _dt(c.start), "end": _dt(c.end), "site": c.site}
                    for c in p.commitments
                ],
            }
            for p in instance.participants
        ],
        "shifts": [
            {
                "id": s.id,
                "task": s.task,
                "title": s.title,
                "kind": s.kind,
                "site": s.site,
                "start": _dt(s.start),
                "end": _dt(s.end),
                "slots": s.slots,
                "required_skills": sorted(s.required_skills),
                "instructor": s.instructor,
                "site_supervision": s.site_supervision,
                "paid": s.paid,
                "holiday_work_allowed": s.holiday_work_allowed,
            }
            for s in instance.shifts
        ],
        "locked": [{"participant": lk.participant, "shift": lk.shift} for lk in instance.locked],
        "previous_assignees": {
            task: sorted(ids) for task, ids in sorted(instance.previous_assignees.items())
        },
    }


def dumps(instance: Instance, indent: int | None = 2) -> str:
    return json.dumps(to_dict(instance), indent=indent, ensure_ascii=False)


def dump(instance: Instance, path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(dumps(instance))
        fh.write("\n")


def solution_to_dict(solution: Solution) -> dict:
    return {
        "format": "jobcenter-matching-solution/1",
        "tier": solution.tier,
        "slot_minutes": solution.slot_minutes,
        "slot_hours": round(solution.slot_minutes / 60, 2),
        "upper_bound_minutes": solution.upper_bound_minutes,
        "gap_percent": round(solution.gap_percent, 4),
        "proven_optimal": solution.proven_optimal,
        "seconds": round(solution.seconds, 3),
        "candidate_pairs": solution.candidate_pairs,
        "stages": [
            {
                "name": st.name,
                "status": st.status,
                "value": st.value,
                "bound": st.bound,
                "seconds": round(st.seconds, 3),
                "cpu_seconds": round(st.cpu_seconds, 3),
            }
            for st in solution.stages
        ],
        "assignments": [
            {
                "participant": a.participant,
                "shift": a.shift,
                "locked": a.locked,
                "orientation": a.orientation,
            }
            for a in solution.assignments
        ],
        "unfilled": [u.as_dict() for u in solution.unfilled],
        "warnings": [w.as_dict() for w in solution.warnings],
    }
