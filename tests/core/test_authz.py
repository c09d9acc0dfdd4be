"""Row scopes: each role sees exactly its own rows, and nothing is visible by default.

Two "worlds" are built side by side (two units, two instructors with a group of
participants each, tasks, shifts and assignments in every state that matters); each
test asks what one person sees of one model and compares it with what the domain
says they should see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from jobcenter import _register_policies
from jobcenter.accounts.models import User
from jobcenter.catalog.models import District, Skill, TaskKind
from jobcenter.core import authz
from jobcenter.core.enums import Role
from jobcenter.hours.models import AbsenceKind, ActivityDay, AttendanceRecord, HourEntry
from jobcenter.participants.models import Group, Instructor, Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift
from jobcenter.units.models import Task, TaskStatus, Unit
from tests import factories

S = AssignmentStatus

# The scopes are registered when the app is built; collection happens before that.
_register_policies()
SCOPED_MODELS = sorted(authz._SCOPES, key=lambda model: model.__name__)


@dataclass
class World:
    unit: Unit
    contact: User
    colleague: User
    instructor: Instructor
    group: Group
    participants: list[Participant]
    tasks: dict[str, Task]
    shifts: dict[str, Shift]
    assignments: dict[str, Assignment] = field(default_factory=dict)
    hours: dict[str, Any] = field(default_factory=dict)


def _world() -> World:
    unit = factories.make_unit()
    contact = factories.make_unit_contact(unit=unit)
    colleague = factories.make_unit_contact(unit=unit)
    instructor = factories.make_instructor()
    group = factories.make_group(instructor=instructor)
    participants = [factories.make_participant(group=group) for _ in range(3)]
    tasks = {
        "accepted": factories.make_task(unit=unit, group=group, status=TaskStatus.ACCEPTED),
        "draft": factories.make_task(unit=unit, status=TaskStatus.DRAFT),
        "submitted": factories.make_task(unit=unit, status=TaskStatus.SUBMITTED),
    }
    accepted = tasks["accepted"]
    first = factories.make_shift(task=accepted, instructor=instructor)
    shifts = {
        "next_week": first,
        "last_week": factories.make_shift(
            task=accepted, starts_at=first.starts_at - timedelta(days=14), instructor=instructor
        ),
        "proposals_only": factories.make_shift(
            task=accepted, starts_at=first.starts_at + timedelta(days=1)
        ),
    }
    p0, p1, p2 = participants
    world = World(unit, contact, colleague, instructor, group, participants, tasks, shifts)
    world.assignments = {
        "confirmed": factories.make_assignment(shifts["next_week"], p0, S.CONFIRMED),
        "proposed": factories.make_assignment(shifts["next_week"], p1, S.PROPOSED),
        "offered": factories.make_assignment(shifts["next_week"], p2, S.OFFERED),
        "attended": factories.make_assignment(shifts["last_week"], p0, S.ATTENDED),
        "absent": factories.make_assignment(shifts["last_week"], p1, S.ABSENT),
        "proposal_only": factories.make_assignment(shifts["proposals_only"], p2, S.PROPOSED),
    }
    world.hours = _hours(world)
    return world


def _hours(world: World) -> dict[str, Any]:
    """Attendance, activity days and confirmed hours of last week's shift."""
    attended, absent = world.assignments["attended"], world.assignments["absent"]
    day = attended.shift.starts_at.date()
    present = _add(AttendanceRecord(assignment_id=attended.id, present=True, minutes=240))
    away = _add(
        AttendanceRecord(
            assignment_id=absent.id, present=False, absence_kind=AbsenceKind.OWN_ILLNESS
        )
    )
    task = attended.shift.task
    entry = _add(
        HourEntry(
            attendance_record_id=present.id,
            participant_id=attended.participant_id,
            shift_id=attended.shift_id,
            work_date=day,
            minutes=240,
            stream=attended.participant.stream,
            unit_id=task.unit_id,
            task_kind_id=task.task_kind_id,
            instructor_id=world.instructor.id,
            wage_cents_per_hour=1000,
            price_cents_per_hour=1450,
            vat_percent=Decimal("25.50"),
        )
    )
    days = [
        _add(ActivityDay(participant_id=attended.participant_id, day=day, status="attended")),
        _add(
            ActivityDay(
                participant_id=absent.participant_id,
                day=day,
                status="absent",
                absence_kind=AbsenceKind.OWN_ILLNESS,
            )
        ),
    ]
    return {"records": [present, away], "entry": entry, "days": days}


def _add(row):
    from jobcenter.extensions import db

    db.session.add(row)
    db.session.flush()
    return row


@dataclass
class Worlds:
    one: World
    two: World
    # World one's first participant is also offered a shift of world two's task:
    # participants work for any unit, instructors' groups mix on one shift.
    crossing: Assignment
    admin: User
    manager: User
    inactive_skill: Skill
    inactive_kind: TaskKind


@pytest.fixture
def worlds(session) -> Worlds:
    one, two = _world(), _world()
    crossing = factories.make_assignment(two.shifts["next_week"], one.participants[0], S.OFFERED)
    built = Worlds(
        one=one,
        two=two,
        crossing=crossing,
        admin=factories.make_admin(),
        manager=factories.make_manager(),
        inactive_skill=factories.make_skill(is_active=False),
        inactive_kind=factories.make_task_kind(is_active=False),
    )
    factories.make_skill()
    factories.make_district()
    session.commit()
    return built


def visible(session, model: type, user: Any) -> set[int]:
    stmt = authz.scope(sa.select(model.id), model, user)
    return set(session.scalars(stmt))


def every(session, model: type) -> set[int]:
    return set(session.scalars(sa.select(model.id)))


def ids(*rows) -> set[int]:
    return {row.id for row in rows}


# Deny by default.


def test_every_model_the_brief_names_has_a_registered_scope():
    expected = {User, Unit, Task, Shift, Assignment, Participant, Group, Skill, TaskKind, District}
    assert expected <= set(SCOPED_MODELS)


def test_model_without_a_registered_scope_is_refused_with_lookup_error(session, worlds):
    class Unscoped:
        id = sa.literal(1)

    with pytest.raises(LookupError):
        authz.scope(sa.select(sa.literal(1)), Unscoped, worlds.admin)


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_anonymous_visitor_sees_no_rows_of_any_scoped_model(session, worlds, model):
    # `every` also proves the worlds hold rows of each scoped model, else this proves nothing.
    assert every(session, model), f"the worlds should hold {model.__name__} rows"
    assert visible(session, model, AnonymousUserMixin()) == set()


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_no_user_at_all_sees_no_rows_of_any_scoped_model(session, worlds, model):
    assert visible(session, model, None) == set()


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_admin_sees_every_row_of_every_scoped_model(session, worlds, model):
    assert visible(session, model, worlds.admin) == every(session, model)


def test_signed_in_user_with_an_unknown_role_sees_no_rows(session, worlds):
    from types import SimpleNamespace

    stranger = SimpleNamespace(
        id=worlds.one.participants[0].user_id, role="auditor", unit_id=None, is_authenticated=True
    )
    for model in (Unit, Task, Shift, Assignment, Participant, Group):
        assert visible(session, model, stranger) == set(), model.__name__


# get_visible: one row, or 404.


def test_get_visible_returns_a_row_inside_the_scope(app, worlds):
    task = worlds.one.tasks["draft"]
    assert authz.get_visible(Task, task.id, worlds.one.contact).id == task.id


def test_get_visible_answers_404_for_a_row_outside_the_scope(app, worlds):
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        authz.get_visible(Task, worlds.two.tasks["draft"].id, worlds.one.contact)


def test_get_visible_answers_404_for_a_row_that_does_not_exist(app, worlds):
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        authz.get_visible(Task, 10**9, worlds.admin)


# Unit contact: their own unit, its tasks and shifts, and who is confirmed there.


def test_unit_contact_sees_only_their_own_unit(session, worlds):
    assert visible(session, Unit, worlds.one.contact) == ids(worlds.one.unit)


def test_unit_contact_sees_all_their_units_tasks_including_drafts(session, worlds):
    assert visible(session, Task, worlds.one.contact) == ids(*worlds.one.tasks.values())


def test_unit_contact_cannot_see_other_units_tasks(session, worlds):
    assert visible(session, Task, worlds.one.contact).isdisjoint(ids(*worlds.two.tasks.values()))


def test_unit_contact_sees_only_their_units_shifts(session, worlds):
    assert visible(session, Shift, worlds.one.contact) == ids(*worlds.one.shifts.values())


def test_unit_contact_sees_only_confirmed_and_attended_assignments_at_their_unit(session, worlds):
    a = worlds.one.assignments
    assert visible(session, Assignment, worlds.one.contact) == ids(a["confirmed"], a["attended"])


def test_unit_contact_does_not_see_who_is_only_offered_a_shift_at_their_unit(session, worlds):
    assert worlds.crossing.id not in visible(session, Assignment, worlds.two.contact)


def test_unit_contact_sees_no_participant_rows(session, worlds):
    assert visible(session, Participant, worlds.one.contact) == set()


def test_unit_contact_sees_no_groups(session, worlds):
    assert visible(session, Group, worlds.one.contact) == set()


def test_unit_contact_sees_themselves_and_their_units_other_contacts(session, worlds):
    one = worlds.one
    assert visible(session, User, one.contact) == ids(one.contact, one.colleague)


# Instructor: their groups' participants, the task pool without drafts.


def test_instructor_sees_only_their_own_groups(session, worlds):
    assert visible(session, Group, worlds.one.instructor.user) == ids(worlds.one.group)


def test_instructor_sees_only_their_groups_participants(session, worlds):
    assert visible(session, Participant, worlds.one.instructor.user) == ids(
        *worlds.one.participants
    )


def test_instructor_sees_every_units_tasks_except_drafts(session, worlds):
    expected = {
        task.id
        for world in (worlds.one, worlds.two)
        for name, task in world.tasks.items()
        if name != "draft"
    }
    assert visible(session, Task, worlds.one.instructor.user) == expected


def test_instructor_sees_their_tasks_shifts_and_the_shifts_their_participants_are_offered(
    session, worlds
):
    expected = ids(*worlds.one.shifts.values(), worlds.crossing.shift)
    assert visible(session, Shift, worlds.one.instructor.user) == expected


def test_instructor_does_not_see_other_groups_shifts(session, worlds):
    seen = visible(session, Shift, worlds.two.instructor.user)
    assert seen.isdisjoint(ids(*worlds.one.shifts.values()))


def test_instructor_sees_every_assignment_of_their_participants_in_every_state(session, worlds):
    expected = ids(*worlds.one.assignments.values(), worlds.crossing)
    assert visible(session, Assignment, worlds.one.instructor.user) == expected


def test_instructor_does_not_see_other_groups_participants_assignments(session, worlds):
    assert worlds.crossing.id not in visible(session, Assignment, worlds.two.instructor.user)


def test_instructor_sees_staff_and_their_participants_but_not_other_participants(session, worlds):
    seen = visible(session, User, worlds.one.instructor.user)
    staff = {u.id for u in session.scalars(sa.select(User).where(User.role != Role.PARTICIPANT))}
    assert seen == staff | {p.user_id for p in worlds.one.participants}


def test_instructor_sees_every_unit(session, worlds):
    assert visible(session, Unit, worlds.one.instructor.user) == every(session, Unit)


def test_instructor_sees_every_instructor(session, worlds):
    assert visible(session, Instructor, worlds.one.instructor.user) == every(session, Instructor)


# Participant: only themselves, and nothing still at the proposal stage.


def test_participant_sees_only_their_own_participant_row(session, worlds):
    me = worlds.one.participants[0]
    assert visible(session, Participant, me.user) == ids(me)


def test_participant_sees_only_their_own_user_account(session, worlds):
    me = worlds.one.participants[0]
    assert visible(session, User, me.user) == {me.user_id}


def test_participant_sees_their_assignments_but_not_proposals(session, worlds):
    a = worlds.one.assignments
    me = worlds.one.participants[1]  # proposed on one shift, absent on another
    assert visible(session, Assignment, me.user) == ids(a["absent"])


def test_participant_sees_assignments_at_any_unit(session, worlds):
    a = worlds.one.assignments
    me = worlds.one.participants[0]
    expected = ids(a["confirmed"], a["attended"], worlds.crossing)
    assert visible(session, Assignment, me.user) == expected


def test_participant_sees_only_shifts_they_are_offered_or_assigned(session, worlds):
    shifts = worlds.one.shifts
    me = worlds.one.participants[2]  # offered next week; only proposed on another shift
    assert visible(session, Shift, me.user) == ids(shifts["next_week"])


def test_participant_sees_only_tasks_and_units_of_their_shifts(session, worlds):
    me = worlds.one.participants[0]
    assert visible(session, Task, me.user) == ids(
        worlds.one.tasks["accepted"], worlds.two.tasks["accepted"]
    )
    assert visible(session, Unit, me.user) == ids(worlds.one.unit, worlds.two.unit)


def test_participant_with_only_proposals_sees_no_task_or_unit(session, worlds):
    me = factories.make_participant(group=worlds.one.group)
    factories.make_assignment(worlds.one.shifts["proposals_only"], me, S.PROPOSED)
    session.commit()
    assert visible(session, Task, me.user) == set()
    assert visible(session, Unit, me.user) == set()


def test_participant_sees_no_groups(session, worlds):
    assert visible(session, Group, worlds.one.participants[0].user) == set()


# Manager: aggregates, not people.


def test_manager_sees_no_participant_rows(session, worlds):
    assert visible(session, Participant, worlds.manager) == set()


def test_manager_sees_no_participant_user_accounts(session, worlds):
    roles = {session.get(User, user_id).role for user_id in visible(session, User, worlds.manager)}
    assert Role.PARTICIPANT not in roles
    assert roles == {Role.ADMIN, Role.MANAGER, Role.INSTRUCTOR, Role.UNIT_CONTACT}


@pytest.mark.parametrize("model", [Unit, Task, Shift, Assignment, Group], ids=lambda m: m.__name__)
def test_manager_sees_every_row_for_reports(session, worlds, model):
    assert visible(session, model, worlds.manager) == every(session, model)


# Catalogues.


@pytest.mark.parametrize(
    "role", [Role.MANAGER, Role.INSTRUCTOR, Role.UNIT_CONTACT, Role.PARTICIPANT], ids=str
)
def test_inactive_skills_and_task_kinds_are_hidden_from_everyone_but_admins(session, worlds, role):
    user = {
        Role.MANAGER: worlds.manager,
        Role.INSTRUCTOR: worlds.one.instructor.user,
        Role.UNIT_CONTACT: worlds.one.contact,
        Role.PARTICIPANT: worlds.one.participants[0].user,
    }[role]
    active_skills = set(session.scalars(sa.select(Skill.id).where(Skill.is_active)))
    active_kinds = set(session.scalars(sa.select(TaskKind.id).where(TaskKind.is_active)))
    assert visible(session, Skill, user) == active_skills
    assert visible(session, TaskKind, user) == active_kinds
    assert worlds.inactive_skill.id not in active_skills


def test_admin_sees_inactive_skills_and_task_kinds(session, worlds):
    assert worlds.inactive_skill.id in visible(session, Skill, worlds.admin)
    assert worlds.inactive_kind.id in visible(session, TaskKind, worlds.admin)


@pytest.mark.parametrize(
    "role", [Role.MANAGER, Role.INSTRUCTOR, Role.UNIT_CONTACT, Role.PARTICIPANT], ids=str
)
def test_every_signed_in_user_sees_every_district(session, worlds, role):
    user = {
        Role.MANAGER: worlds.manager,
        Role.INSTRUCTOR: worlds.one.instructor.user,
        Role.UNIT_CONTACT: worlds.one.contact,
        Role.PARTICIPANT: worlds.one.participants[0].user,
    }[role]
    assert visible(session, District, user) == every(session, District)


# Hours: instructors their groups', units what was delivered to them, participants their own.


def test_instructor_sees_only_their_groups_hours_and_attendance(session, worlds):
    user = worlds.one.instructor.user
    assert visible(session, HourEntry, user) == ids(worlds.one.hours["entry"])
    assert visible(session, AttendanceRecord, user) == ids(*worlds.one.hours["records"])
    assert visible(session, ActivityDay, user) == ids(*worlds.one.hours["days"])


def test_unit_contact_sees_hours_delivered_to_their_unit_but_no_attendance(session, worlds):
    contact = worlds.two.contact
    assert visible(session, HourEntry, contact) == ids(worlds.two.hours["entry"])
    assert visible(session, AttendanceRecord, contact) == set()
    assert visible(session, ActivityDay, contact) == set()


def test_participant_sees_only_their_own_hours_and_days(session, worlds):
    person = worlds.one.participants[0]
    assert visible(session, HourEntry, person.user) == ids(worlds.one.hours["entry"])
    assert visible(session, AttendanceRecord, person.user) == ids(worlds.one.hours["records"][0])
    assert visible(session, ActivityDay, person.user) == ids(worlds.one.hours["days"][0])


def test_manager_sees_hours_and_attendance_but_not_allowance_days(session, worlds):
    manager = worlds.manager
    assert visible(session, HourEntry, manager) == every(session, HourEntry)
    assert visible(session, AttendanceRecord, manager) == every(session, AttendanceRecord)
    assert visible(session, ActivityDay, manager) == set()


@pytest.mark.parametrize("object_id", [0, -1, 2**31, 9_999_999_999])
def test_an_id_no_row_can_have_is_not_found(session, worlds, object_id):
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        authz.get_visible(Unit, object_id, worlds.admin)
