"""Catalogues are readable by everyone signed in; inactive rows only by admins."""

import sqlalchemy as sa

from jobcenter.catalog.models import District, Skill, TaskKind
from jobcenter.core.authz import row_scope
from jobcenter.core.enums import Role


@row_scope(District)
def districts_visible(stmt: sa.Select, user) -> sa.Select:
    return stmt


@row_scope(Skill)
def skills_visible(stmt: sa.Select, user) -> sa.Select:
    return stmt if user.role == Role.ADMIN else stmt.where(Skill.is_active.is_(True))


@row_scope(TaskKind)
def task_kinds_visible(stmt: sa.Select, user) -> sa.Select:
    return stmt if user.role == Role.ADMIN else stmt.where(TaskKind.is_active.is_(True))
