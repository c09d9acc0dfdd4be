"""Feed secrets: one active address per person, shown again, reissued if the key changes."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent, CalendarFeed, User
from jobcenter.calendar import secrets
from tests import factories


def test_the_secret_is_long_and_url_safe(session):
    secret = secrets.feed_secret(session, factories.make_unit_contact())
    assert len(secret) == 43
    assert secret.replace("-", "").replace("_", "").isalnum()


def test_two_people_get_different_secrets(session):
    one = secrets.feed_secret(session, factories.make_unit_contact())
    two = secrets.feed_secret(session, factories.make_unit_contact())
    assert one != two


def test_a_secret_resolves_to_its_feed_and_a_revoked_one_does_not(session):
    user = factories.make_unit_contact()
    old = secrets.feed_secret(session, user)
    assert secrets.resolve_feed(session, old).user_id == user.id
    new = secrets.regenerate_feed(session, user).secret
    assert secrets.resolve_feed(session, old) is None
    assert secrets.resolve_feed(session, new).user_id == user.id


def test_a_changed_secret_key_reissues_the_address(app, session):
    user = factories.make_unit_contact()
    old = secrets.feed_secret(session, user)
    original = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a-new-key"
    try:
        new = secrets.feed_secret(session, user)
    finally:
        app.config["SECRET_KEY"] = original
    assert new != old
    assert secrets.resolve_feed(session, new) is not None
    assert secrets.resolve_feed(session, old) is None
    assert session.scalar(
        sa.select(AuditEvent.detail).where(AuditEvent.action == "calendar_feed_regenerated")
    ) == {"revoked": 1, "reason": "key_changed"}


@pytest.mark.postgres_only
def test_on_postgresql_two_first_visits_at_once_make_one_feed(app, db, session):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL")
    user_id = factories.make_participant().user.id
    session.commit()
    barrier = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def visit() -> None:
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                barrier.wait()
                results.append(secrets.feed_secret(db.session, user))
                db.session.commit()
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=visit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 2
    assert results[0] == results[1]
    active = session.scalar(sa.select(sa.func.count()).where(CalendarFeed.revoked_at.is_(None)))
    assert active == 1
