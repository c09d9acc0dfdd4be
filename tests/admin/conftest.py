"""Helpers for the admin pages' tests: a signed-in administrator and row counts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests import factories


@pytest.fixture
def admin(session):
    user = factories.make_admin(first_name="Aino", last_name="Admin")
    session.commit()
    return user


@pytest.fixture
def admin_client(client, login, admin):
    """The test client signed in as an administrator."""
    return login(admin)


@pytest.fixture
def count(session):
    """count(Model) → rows in its table, read fresh from the database."""

    def rows(model, *where) -> int:
        session.expire_all()
        stmt = sa.select(sa.func.count()).select_from(model)
        for condition in where:
            stmt = stmt.where(condition)
        return session.scalar(stmt)

    return rows


def page_text(response) -> str:
    return response.get_data(as_text=True)
