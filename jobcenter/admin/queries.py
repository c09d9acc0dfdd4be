"""Read-side queries for the admin pages: lists, filters and form choices."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from jobcenter.accounts.models import User
from jobcenter.catalog.models import District, Skill, TaskKind
from jobcenter.core.enums import Role
from jobcenter.core.i18n import current_locale
from jobcenter.participants.models import Group, Instructor, Participant, Plan
from jobcenter.units.models import Unit


def _contains(column: Any, text: str) -> sa.ColumnElement[bool]:
    return sa.func.lower(column).contains(text.lower(), autoescape=True)


def _status(stmt: sa.Select, column: Any, status: str | None) -> sa.Select:
    if status == "active":
        return stmt.where(column.is_(True))
    if status == "inactive":
        return stmt.where(column.is_(False))
    return stmt


def users_query(role: str | None, q: str | None, status: str | None = None) -> sa.Select:
    stmt = sa.select(User).options(
        selectinload(User.unit),
        selectinload(User.participant).selectinload(Participant.group),
    )
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    text = (q or "").strip()
    if text:
        full_name = User.first_name + " " + User.last_name
        stmt = stmt.where(
            sa.or_(
                _contains(full_name, text),
                _contains(User.last_name + " " + User.first_name, text),
                _contains(sa.func.coalesce(User.email, ""), text),
            )
        )
    stmt = _status(stmt, User.is_active_account, status)
    return stmt.order_by(User.last_name, User.first_name, User.id)


def units_query(q: str | None, status: str | None = None) -> sa.Select:
    stmt = sa.select(Unit).options(selectinload(Unit.district))
    text = (q or "").strip()
    if text:
        stmt = stmt.where(sa.or_(_contains(Unit.name, text), _contains(Unit.city, text)))
    stmt = _status(stmt, Unit.is_active, status)
    return stmt.order_by(Unit.name, Unit.id)


def _by_local_name(model: Any) -> Any:
    return getattr(model, f"name_{current_locale()}", model.name_fi)


def catalogue(session: Session, model: type[Skill] | type[TaskKind]) -> list[Any]:
    """Every row, active or not, in the order of the Finnish names the list leads with."""
    return list(session.scalars(sa.select(model).order_by(model.name_fi, model.id)))


def catalogue_choices(
    session: Session, model: type[Skill] | type[TaskKind], keep: set[int] | None = None
) -> list[tuple[int, str]]:
    """Active rows, plus inactive ones already chosen (so an edit does not drop them)."""
    keep = keep or set()
    rows = session.scalars(
        sa.select(model)
        .where(sa.or_(model.is_active.is_(True), model.id.in_(keep or {-1})))
        .order_by(_by_local_name(model), model.id)
    )
    return [(row.id, row.name()) for row in rows]


def district_choices(session: Session) -> list[tuple[Any, str]]:
    rows = session.scalars(sa.select(District).order_by(_by_local_name(District)))
    return [(row.id, row.name()) for row in rows]


def unit_choices(session: Session, keep: int | None = None) -> list[tuple[Any, str]]:
    rows = session.scalars(
        sa.select(Unit)
        .where(sa.or_(Unit.is_active.is_(True), Unit.id == (keep or -1)))
        .order_by(Unit.name)
    )
    return [(row.id, row.name) for row in rows]


def group_choices(session: Session) -> list[tuple[Any, str]]:
    rows = session.execute(
        sa.select(Group, User)
        .join(Instructor, Group.instructor_id == Instructor.id)
        .join(User, Instructor.user_id == User.id)
        .order_by(Group.name, User.last_name, User.first_name)
    ).all()
    return [(group.id, f"{group.name} – {user.full_name}") for group, user in rows]


def instructor_choices(session: Session) -> list[tuple[Any, str]]:
    rows = session.execute(
        sa.select(Instructor, User)
        .join(User, Instructor.user_id == User.id)
        .where(User.is_active_account.is_(True))
        .order_by(User.last_name, User.first_name)
    ).all()
    return [(instructor.id, user.full_name) for instructor, user in rows]


def groups_overview(session: Session) -> list[dict[str, Any]]:
    """Every group with its instructor and how many participants it has."""
    counts = (
        sa.select(Participant.group_id, sa.func.count().label("n"))
        .group_by(Participant.group_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(Group, User, sa.func.coalesce(counts.c.n, 0))
        .join(Instructor, Group.instructor_id == Instructor.id)
        .join(User, Instructor.user_id == User.id)
        .outerjoin(counts, counts.c.group_id == Group.id)
        .order_by(User.last_name, User.first_name, Group.name)
    ).all()
    return [{"group": g, "instructor": u, "participants": n} for g, u, n in rows]


def participant_with_plans(session: Session, user: User) -> Participant | None:
    return session.scalars(
        sa.select(Participant)
        .where(Participant.user_id == user.id)
        .options(
            selectinload(Participant.group).selectinload(Group.instructor),
            selectinload(Participant.plans).selectinload(Plan.skills),
            selectinload(Participant.plans).selectinload(Plan.task_kind_preferences),
            selectinload(Participant.plans).selectinload(Plan.home_district),
        )
    ).first()
