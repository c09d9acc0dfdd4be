"""User management by administrators: people of every role, participants' plans, groups.

Plain functions `(session, ...) -> value`. Each validates everything first and raises
`ValidationFailed` (messages per field, keyed by the keyword names; plan fields by
their plan column names) or `DomainError`; only then it changes rows and flushes.
Changes to a participant are written to the audit log with their participant id.
Only what matching needs is stored: a supervision level and skills, never a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.catalog.models import District, Skill, TaskKind
from jobcenter.catalog.operations import stream_rule_errors
from jobcenter.core import audit, clock
from jobcenter.core.enums import Locale, Role, Stream, SupervisionLevel
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.participants.models import (
    Group,
    Instructor,
    Participant,
    Plan,
    Preference,
    TaskKindPreference,
)
from jobcenter.units.models import Unit
from jobcenter.units.operations import normalise_email

Errors = dict[str, list[str]]

NAME_MAX = 80
PHONE_MAX = 40
GROUP_NAME_MAX = 100
MAX_SUPERVISION_CAPACITY = 50
MINUTES_PER_DAY = 24 * 60

PLAN_FIELDS = (
    "start_date",
    "end_date",
    "days_per_week",
    "min_minutes_per_day",
    "max_minutes_per_day",
    "weekly_target_minutes",
    "supervision_level",
    "skill_ids",
    "preferred_task_kind_ids",
    "avoided_task_kind_ids",
    "home_district_id",
    "monthly_earnings_ceiling_cents",
    "daily_allowance_cents",
)
_PLAN_REQUIRED = (
    "start_date",
    "end_date",
    "days_per_week",
    "min_minutes_per_day",
    "max_minutes_per_day",
    "supervision_level",
)
_COMMON_FIELDS = ("first_name", "last_name", "email", "phone", "locale")
_ROLE_FIELDS = {
    Role.UNIT_CONTACT: ("unit_id",),
    Role.INSTRUCTOR: ("supervision_capacity", "streams"),
    Role.PARTICIPANT: ("group_id", "stream", "instructor_confirms"),
    Role.MANAGER: (),
    Role.ADMIN: (),
}


def _fail(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _ids(value: Any) -> list[int] | None:
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return None
    ids = [_int(v) for v in value]
    if any(i is None for i in ids):
        return None
    return list(dict.fromkeys(ids))  # type: ignore[arg-type]


# ---------------------------------------------------------------- person fields


def _person_values(
    session: Session, values: Mapping[str, Any], role: Role, user: User | None, errors: Errors
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field in ("first_name", "last_name"):
        if field not in values:
            if user is None:
                _fail(errors, field, _("This field is required."))
            continue
        text = _text(values[field])
        if not text:
            _fail(errors, field, _("This field is required."))
        elif len(text) > NAME_MAX:
            _fail(errors, field, _("Use at most %(max)d characters.", max=NAME_MAX))
        else:
            clean[field] = text
    if "email" in values or user is None:
        text = _text(values.get("email"))
        if not text:
            if role != Role.PARTICIPANT:
                _fail(errors, "email", _("Enter an e-mail address: this person signs in with it."))
            else:
                clean["email"] = None
        else:
            try:
                email = normalise_email(text)
            except ValueError as exc:
                _fail(errors, "email", str(exc))
            else:
                taken = session.scalar(
                    sa.select(User.id).where(
                        sa.func.lower(User.email) == email,
                        User.id != (user.id if user is not None else -1),
                    )
                )
                if taken is not None:
                    _fail(errors, "email", _("Another user already has this e-mail address."))
                else:
                    clean["email"] = email
    if "phone" in values:
        text = _text(values["phone"])
        if len(text) > PHONE_MAX:
            _fail(errors, "phone", _("Use at most %(max)d characters.", max=PHONE_MAX))
        else:
            clean["phone"] = text or None
    if "locale" in values or user is None:
        try:
            clean["locale"] = Locale(values.get("locale") or Locale.FI)
        except ValueError:
            _fail(errors, "locale", _("Choose a language."))
    return clean


def _unit_value(session: Session, value: Any, user: User | None, errors: Errors) -> int | None:
    unit_id = _int(value)
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None:
        _fail(errors, "unit_id", _("Choose the unit this person orders work for."))
        return None
    if not unit.is_active and (user is None or user.unit_id != unit.id):
        _fail(errors, "unit_id", _("The unit is deactivated. Choose an active unit."))
        return None
    return unit.id


def _instructor_values(
    session: Session, values: Mapping[str, Any], instructor: Instructor | None, errors: Errors
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "supervision_capacity" in values or instructor is None:
        capacity = _int(values.get("supervision_capacity"))
        if capacity is None or not 1 <= capacity <= MAX_SUPERVISION_CAPACITY:
            _fail(
                errors,
                "supervision_capacity",
                _(
                    "Enter how many participants the instructor can supervise at once: "
                    "1 to %(max)d.",
                    max=MAX_SUPERVISION_CAPACITY,
                ),
            )
        else:
            clean["supervision_capacity"] = capacity
    if "streams" in values or instructor is None:
        try:
            streams = {Stream(s) for s in (values.get("streams") or ())}
        except ValueError:
            streams = set()
        if not streams:
            _fail(errors, "streams", _("Choose at least one stream."))
        else:
            clean["works_rehabilitative"] = Stream.REHABILITATIVE in streams
            clean["works_disability"] = Stream.DISABILITY in streams
            if instructor is not None:
                dropped = [s for s in Stream if s not in streams]
                if dropped:
                    stranded = session.scalar(
                        sa.select(sa.func.count())
                        .select_from(Participant)
                        .join(Group, Participant.group_id == Group.id)
                        .where(Group.instructor_id == instructor.id)
                        .where(Participant.stream.in_(dropped))
                    )
                    if stranded:
                        _fail(
                            errors,
                            "streams",
                            _(
                                "Participants in this instructor's groups are in a stream "
                                "you removed. Move them to another group first."
                            ),
                        )
    return clean


def _participant_values(
    session: Session,
    values: Mapping[str, Any],
    participant: Participant | None,
    errors: Errors,
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    stream = participant.stream if participant is not None else None
    if "stream" in values or participant is None:
        try:
            stream = Stream(values.get("stream"))
            clean["stream"] = stream
        except ValueError:
            _fail(errors, "stream", _("Choose the stream of work activity."))
            stream = None
    group = participant.group if participant is not None else None
    if "group_id" in values or participant is None:
        group_id = _int(values.get("group_id"))
        group = session.get(Group, group_id) if group_id is not None else None
        if group is None:
            _fail(errors, "group_id", _("Choose the group the participant belongs to."))
        else:
            clean["group_id"] = group.id
    if group is not None and stream is not None and stream not in group.instructor.streams:
        _fail(
            errors,
            "group_id",
            _("The instructor of this group does not work in the participant's stream."),
        )
    if "instructor_confirms" in values:
        # Publishing a roster confirms this person's shifts directly (their instructor
        # answers for them) instead of offering them.
        clean["instructor_confirms"] = bool(values["instructor_confirms"])
    return clean


# ---------------------------------------------------------------- plans


def _plan_values(
    session: Session,
    values: Mapping[str, Any],
    plan: Plan | None,
    errors: Errors,
) -> dict[str, Any]:
    """Shape and range checks of plan fields; `plan` is the plan being edited, if any."""
    extra = set(values) - set(PLAN_FIELDS)
    if extra:
        raise TypeError(f"unknown plan fields: {', '.join(sorted(extra))}")
    clean: dict[str, Any] = {}
    for field in _PLAN_REQUIRED:
        if plan is None and values.get(field) in (None, ""):
            _fail(errors, field, _("This field is required."))

    for field in ("start_date", "end_date"):
        if field in values and values[field] not in (None, ""):
            if isinstance(values[field], date):
                clean[field] = values[field]
            else:
                _fail(errors, field, _("Enter a date."))

    def whole(field: str, low: int, high: int, message: str, optional: bool = False) -> None:
        if field not in values:
            return
        raw = values[field]
        if raw in (None, ""):
            if optional:
                clean[field] = None
            elif plan is not None:
                _fail(errors, field, _("This field is required."))
            return
        number = _int(raw)
        if number is None or not low <= number <= high:
            _fail(errors, field, message)
        else:
            clean[field] = number

    whole("days_per_week", 1, 7, _("Enter a number of days from 1 to 7."))
    whole("min_minutes_per_day", 0, MINUTES_PER_DAY, _("Enter hours from 0 to 24."))
    whole("max_minutes_per_day", 1, MINUTES_PER_DAY, _("Enter hours from more than 0 up to 24."))
    whole(
        "weekly_target_minutes",
        0,
        7 * MINUTES_PER_DAY,
        _("Enter hours from 0 to 168."),
        optional=True,
    )
    whole(
        "supervision_level",
        min(SupervisionLevel.ALL),
        max(SupervisionLevel.ALL),
        _("Choose a supervision level."),
    )
    whole(
        "monthly_earnings_ceiling_cents",
        0,
        10_000_000,
        _("Enter an amount in euros, 0 or more."),
        optional=True,
    )
    whole(
        "daily_allowance_cents",
        0,
        100_000,
        _("Enter an amount in euros, 0 or more."),
        optional=True,
    )

    if "home_district_id" in values:
        raw = values["home_district_id"]
        if raw in (None, ""):
            clean["home_district_id"] = None
        else:
            district_id = _int(raw)
            if district_id is None or session.get(District, district_id) is None:
                _fail(errors, "home_district_id", _("Choose a district from the list."))
            else:
                clean["home_district_id"] = district_id

    current_skills = {s.id for s in plan.skills} if plan is not None else set()
    if "skill_ids" in values:
        ids = _ids(values["skill_ids"])
        found = (
            {
                s.id: s
                for s in session.scalars(sa.select(Skill).where(Skill.id.in_(ids)))
                if s.is_active or s.id in current_skills
            }
            if ids
            else {}
        )
        if ids is None or len(found) != len(ids):
            _fail(errors, "skill_ids", _("Choose skills from the list."))
        else:
            clean["skills"] = [found[i] for i in ids]

    current_prefs = (
        {p.task_kind_id: p.preference for p in plan.task_kind_preferences} if plan else {}
    )
    kinds: dict[str, list[int]] = {}
    for field in ("preferred_task_kind_ids", "avoided_task_kind_ids"):
        if field in values:
            ids = _ids(values[field])
            valid = (
                set(
                    session.scalars(
                        sa.select(TaskKind.id).where(
                            TaskKind.id.in_(ids),
                            sa.or_(
                                TaskKind.is_active.is_(True),
                                TaskKind.id.in_(list(current_prefs) or [-1]),
                            ),
                        )
                    )
                )
                if ids
                else set()
            )
            if ids is None or len(valid) != len(ids):
                _fail(errors, field, _("Choose task kinds from the list."))
            else:
                kinds[field] = ids
    if kinds:
        preferred = kinds.get(
            "preferred_task_kind_ids",
            [k for k, p in current_prefs.items() if p == Preference.PREFER],
        )
        avoided = kinds.get(
            "avoided_task_kind_ids",
            [k for k, p in current_prefs.items() if p == Preference.AVOID],
        )
        if set(preferred) & set(avoided):
            _fail(
                errors,
                "avoided_task_kind_ids",
                _("A task kind cannot be both preferred and avoided."),
            )
        else:
            clean["preferences"] = [(k, Preference.PREFER) for k in preferred] + [
                (k, Preference.AVOID) for k in avoided
            ]

    # Relations between fields, on the values the plan will have after the change.
    def final(field: str) -> Any:
        if field in clean:
            return clean[field]
        if field in errors or field in values:
            return None
        return getattr(plan, field, None) if plan is not None else None

    start, end = final("start_date"), final("end_date")
    if start and end and end < start:
        _fail(errors, "end_date", _("The plan must end on or after its start date."))
    low, high = final("min_minutes_per_day"), final("max_minutes_per_day")
    if low is not None and high is not None and low > high:
        _fail(
            errors,
            "max_minutes_per_day",
            _("The maximum hours a day must not be smaller than the minimum."),
        )
    days, weekly = final("days_per_week"), final("weekly_target_minutes")
    if days is not None and high is not None and weekly is not None and weekly > days * high:
        _fail(
            errors,
            "weekly_target_minutes",
            _("The weekly target is more than the days a week times the maximum hours a day."),
        )
    return clean


def plan_snapshot(plan: Plan | None, clean: Mapping[str, Any]) -> dict[str, Any]:
    """The plan's column values after applying `clean` (for the stream-rule check)."""
    fields = (
        "start_date",
        "end_date",
        "days_per_week",
        "min_minutes_per_day",
        "max_minutes_per_day",
        "weekly_target_minutes",
        "daily_allowance_cents",
    )
    return {f: clean[f] if f in clean else getattr(plan, f, None) for f in fields}


def _overlapping_plan(
    session: Session, participant: Participant, plan: Plan, start: date, end: date
) -> Plan | None:
    return session.scalars(
        sa.select(Plan).where(
            Plan.participant_id == participant.id,
            Plan.id != plan.id,
            Plan.start_date <= end,
            Plan.end_date >= start,
        )
    ).first()


def _apply_plan(plan: Plan, clean: Mapping[str, Any]) -> list[str]:
    changed = []
    for field, value in clean.items():
        if field == "skills":
            if {s.id for s in plan.skills} != {s.id for s in value}:
                changed.append("skills")
            plan.skills = list(value)
        elif field == "preferences":
            wanted = dict(value)
            have = {p.task_kind_id: p.preference for p in plan.task_kind_preferences}
            if wanted != have:
                changed.append("task_kind_preferences")
            plan.task_kind_preferences = [
                p for p in plan.task_kind_preferences if wanted.get(p.task_kind_id) == p.preference
            ]
            kept = {p.task_kind_id for p in plan.task_kind_preferences}
            for kind_id, preference in value:
                if kind_id not in kept:
                    plan.task_kind_preferences.append(
                        TaskKindPreference(task_kind_id=kind_id, preference=preference)
                    )
        else:
            if getattr(plan, field) != value:
                changed.append(field)
            setattr(plan, field, value)
    return changed


def editable_plan(participant: Participant) -> Plan | None:
    """The plan an administrator edits: the one in force today, else the latest."""
    current = participant.plan_on(clock.today())
    if current is not None:
        return current
    return max(participant.plans, key=lambda p: p.start_date, default=None)


# ---------------------------------------------------------------- users


def create_user(
    session: Session,
    *,
    role: Role | str,
    plan: Mapping[str, Any] | None = None,
    **fields: Any,
) -> User:
    """A new active user of any role, with what the role needs:

    - unit contact: `unit_id`;
    - instructor: `supervision_capacity` (K ≥ 1) and `streams` (at least one);
    - participant: `group_id`, `stream` and the initial `plan` (see `PLAN_FIELDS`),
      checked against the stream's rules. E-mail is optional only for participants.

    The account has no password: the person sets one through a password reset, or a
    participant signs in with a link from their instructor.
    """
    errors: Errors = {}
    try:
        role = Role(role)
    except ValueError:
        raise ValidationFailed({"role": [_("Choose a role.")]}) from None
    allowed = set(_COMMON_FIELDS) | set(_ROLE_FIELDS[role])
    extra = set(fields) - allowed
    if extra:
        raise TypeError(f"fields not for {role.value}: {', '.join(sorted(extra))}")
    if plan is not None and role != Role.PARTICIPANT:
        raise TypeError("only participants have a plan")

    clean = _person_values(session, fields, role, None, errors)
    role_clean: dict[str, Any] = {}
    plan_clean: dict[str, Any] = {}
    if role == Role.UNIT_CONTACT:
        clean["unit_id"] = _unit_value(session, fields.get("unit_id"), None, errors)
    elif role == Role.INSTRUCTOR:
        role_clean = _instructor_values(session, fields, None, errors)
    elif role == Role.PARTICIPANT:
        role_clean = _participant_values(session, fields, None, errors)
        plan_clean = _plan_values(session, plan or {}, None, errors)
        if "stream" in role_clean:
            for field, messages in stream_rule_errors(
                session, role_clean["stream"], plan_snapshot(None, plan_clean)
            ).items():
                if field not in errors:
                    errors[field] = messages
    if errors:
        raise ValidationFailed(errors)

    user = User(role=role, is_active_account=True, **clean)
    session.add(user)
    if role == Role.INSTRUCTOR:
        session.add(Instructor(user=user, **role_clean))
        session.flush()
        audit.record("user_created", user, detail={"role": role.value})
    elif role == Role.PARTICIPANT:
        participant = Participant(user=user, **role_clean)
        session.add(participant)
        new_plan = Plan(participant=participant)
        _apply_plan(new_plan, plan_clean)
        session.add(new_plan)
        session.flush()
        audit.record("participant_created", user, participant_id=participant.id)
    else:
        session.flush()
        audit.record("user_created", user, detail={"role": role.value})
    return user


def update_user(
    session: Session,
    user: User,
    *,
    plan: Mapping[str, Any] | None = None,
    **fields: Any,
) -> User:
    """Change the given fields of a user (and, for a participant, of their editable
    plan). The role does not change: deactivate and create a new account instead."""
    allowed = set(_COMMON_FIELDS) | set(_ROLE_FIELDS[user.role])
    extra = set(fields) - allowed
    if extra:
        raise TypeError(f"fields not for {user.role.value}: {', '.join(sorted(extra))}")
    if plan is not None and user.role != Role.PARTICIPANT:
        raise TypeError("only participants have a plan")
    errors: Errors = {}
    clean = _person_values(session, fields, user.role, user, errors)
    role_clean: dict[str, Any] = {}
    plan_clean: dict[str, Any] = {}
    participant = user.participant
    current_plan = editable_plan(participant) if participant is not None else None
    if user.role == Role.UNIT_CONTACT and "unit_id" in fields:
        clean["unit_id"] = _unit_value(session, fields["unit_id"], user, errors)
    elif user.role == Role.INSTRUCTOR and user.instructor is not None:
        role_clean = _instructor_values(session, fields, user.instructor, errors)
    elif user.role == Role.PARTICIPANT and participant is not None:
        role_clean = _participant_values(session, fields, participant, errors)
        if plan is not None:
            plan_clean = _plan_values(session, plan, current_plan, errors)
        stream = role_clean.get("stream", participant.stream)
        if (plan is not None or "stream" in role_clean) and "stream" not in errors:
            snapshot = plan_snapshot(current_plan, plan_clean)
            for field, messages in stream_rule_errors(session, stream, snapshot).items():
                if field not in errors:
                    errors[field] = messages
            start, end = snapshot["start_date"], snapshot["end_date"]
            if current_plan is not None and start and end and "start_date" not in errors:
                other = _overlapping_plan(session, participant, current_plan, start, end)
                if other is not None:
                    _fail(
                        errors,
                        "start_date",
                        _("The dates overlap another plan period of this participant."),
                    )
    if errors:
        raise ValidationFailed(errors)

    changed = [f for f, v in clean.items() if getattr(user, f) != v]
    for field, value in clean.items():
        setattr(user, field, value)
    if user.role == Role.INSTRUCTOR and user.instructor is not None:
        changed += [f for f, v in role_clean.items() if getattr(user.instructor, f) != v]
        for field, value in role_clean.items():
            setattr(user.instructor, field, value)
    elif participant is not None:
        changed += [f for f, v in role_clean.items() if getattr(participant, f) != v]
        for field, value in role_clean.items():
            setattr(participant, field, value)
        if plan_clean:
            if current_plan is None:
                current_plan = Plan(participant=participant)
                session.add(current_plan)
            changed += [f"plan.{f}" for f in _apply_plan(current_plan, plan_clean)]
    session.flush()
    # Field names only: the values may be personal data and stay out of the log.
    if participant is not None:
        audit.record(
            "participant_updated",
            user,
            participant_id=participant.id,
            detail={"fields": sorted(changed)},
        )
    else:
        audit.record("user_updated", user, detail={"fields": sorted(changed)})
    return user


def deactivate_user(session: Session, user: User, *, actor: User | None = None) -> User:
    """The person can no longer sign in; every open session and token stops working."""
    if actor is not None and actor.id == user.id:
        raise DomainError(_("You cannot deactivate your own account."))
    if user.is_active_account:
        user.is_active_account = False
        user.session_version += 1
    session.flush()
    participant_id = user.participant.id if user.participant is not None else None
    audit.record("user_deactivated", user, participant_id=participant_id)
    return user


def reactivate_user(session: Session, user: User) -> User:
    user.is_active_account = True
    session.flush()
    participant_id = user.participant.id if user.participant is not None else None
    audit.record("user_reactivated", user, participant_id=participant_id)
    return user


# ---------------------------------------------------------------- groups


def create_group(session: Session, *, name: Any, instructor_id: Any) -> Group:
    """A new group for an instructor; names are unique per instructor."""
    errors: Errors = {}
    text = _text(name)
    if not text:
        _fail(errors, "name", _("This field is required."))
    elif len(text) > GROUP_NAME_MAX:
        _fail(errors, "name", _("Use at most %(max)d characters.", max=GROUP_NAME_MAX))
    iid = _int(instructor_id)
    instructor = session.get(Instructor, iid) if iid is not None else None
    if instructor is None:
        _fail(errors, "instructor_id", _("Choose an instructor."))
    elif not instructor.user.is_active:
        _fail(errors, "instructor_id", _("The instructor's account is deactivated."))
    elif text and "name" not in errors:
        taken = session.scalar(
            sa.select(Group.id).where(
                Group.instructor_id == instructor.id, sa.func.lower(Group.name) == text.lower()
            )
        )
        if taken is not None:
            _fail(errors, "name", _("This instructor already has a group with this name."))
    if errors:
        raise ValidationFailed(errors)
    group = Group(name=text, instructor=instructor)
    session.add(group)
    session.flush()
    audit.record("group_created", group)
    return group
