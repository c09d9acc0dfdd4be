"""Helpers for model constraint tests: assert that the *database* refuses a row,
and that it does so because of the named constraint, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.core.db import Base


def _find_constraint(name: str) -> tuple[sa.Table, sa.Constraint | sa.Index]:
    for table in Base.metadata.tables.values():
        for constraint in [*table.constraints, *table.indexes]:
            if constraint.name == name:
                return table, constraint
    raise AssertionError(f"no constraint or index named {name!r} in the models")


def _sqlite_message(table: sa.Table, constraint: sa.Constraint | sa.Index) -> str:
    if isinstance(constraint, sa.Index):  # a unique index, e.g. on lower(name)
        return f"UNIQUE constraint failed: index '{constraint.name}'"
    if isinstance(constraint, sa.CheckConstraint):
        return f"CHECK constraint failed: {constraint.name}"
    if isinstance(constraint, sa.ForeignKeyConstraint):
        return "FOREIGN KEY constraint failed"  # SQLite does not say which one
    columns = ", ".join(f"{table.name}.{column.name}" for column in constraint.columns)
    return f"UNIQUE constraint failed: {columns}"


def expected_message(session: Session, constraint_name: str) -> str:
    table, constraint = _find_constraint(constraint_name)
    if session.get_bind().dialect.name == "sqlite":
        return _sqlite_message(table, constraint)
    return f'"{constraint_name}"'


@contextmanager
def refused(session: Session, constraint_name: str, *or_names: str) -> Iterator[None]:
    """The block's changes, flushed, break `constraint_name` (or one of `or_names`, where
    two overlapping rules guard the same thing and the database may name either); the
    session is rolled back.

    Build the valid rows the test needs *before* the block: only the offending
    change belongs inside it, so the test cannot pass for another reason.
    """
    messages = [expected_message(session, name) for name in (constraint_name, *or_names)]
    try:
        yield
        session.flush()
    except sa.exc.IntegrityError as error:
        session.rollback()
        if not any(message in str(error.orig) for message in messages):
            pytest.fail(f"refused, but not by {constraint_name}: {error.orig}")
    else:
        session.rollback()
        pytest.fail(f"the database accepted a row that {constraint_name} should refuse")


def delete_row(session: Session, model: type, row_id: int) -> None:
    """Delete with plain SQL, so the database's ON DELETE rule decides (not the ORM)."""
    session.execute(sa.delete(model).where(model.id == row_id))  # type: ignore[attr-defined]
    session.flush()


def update_raw(session: Session, table: str, row_id: int, **values) -> None:
    """Write values with plain SQL, bypassing the ORM's own checks (e.g. of enum values),
    so that only the database's constraints stand in the way."""
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    session.execute(
        sa.text(f"UPDATE {table} SET {assignments} WHERE id = :row_id"),  # noqa: S608
        values | {"row_id": row_id},
    )
    session.flush()
