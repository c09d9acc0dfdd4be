"""Test harness: a real database (SQLite file or PostgreSQL from DATABASE_URL),
emptied after every test, and a Flask app built exactly as in production."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from jobcenter import create_app
from jobcenter.config import TestConfig
from jobcenter.core import clock
from jobcenter.core.db import Base
from jobcenter.extensions import db as _db
from tests import factories


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per pytest worker: a SQLite file, or a PostgreSQL database."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        path: Path = tmp_path_factory.mktemp("db") / "jobcenter.sqlite3"
        yield f"sqlite:///{path}"
        return
    url = sa.engine.make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database}_{_worker()}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _forget_request_globals(_exc: BaseException | None) -> None:
    """The test holds one app context open, so `g` would outlive each request
    (Flask-Login's cached user, Babel's cached locale): clear it, as a fresh
    context per request does in production."""
    from flask import g

    for name in list(vars(g)):
        delattr(g, name)


class ClosingClient(FlaskClient):
    """Reads and closes every response, as a WSGI server does, so work scheduled with
    `response.call_on_close` (outbox mail) runs before the test looks at its effects."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def make_app(database_url: str):
    """Build an app on the test database, with config overrides for one test."""
    apps: list[Flask] = []

    def build(**overrides) -> Flask:
        config = (
            {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
            | {"SQLALCHEMY_DATABASE_URI": database_url}
            | overrides
        )
        application = create_app(config)
        # First in the list, so it runs after every other teardown of the request.
        application.teardown_request_funcs.setdefault(None, []).insert(0, _forget_request_globals)
        application.test_client_class = ClosingClient
        apps.append(application)
        return application

    yield build
    for application in apps:
        with application.app_context():
            _db.engine.dispose()


@pytest.fixture(scope="session")
def _schema(make_app) -> Flask:
    application = make_app()
    with application.app_context():
        Base.metadata.drop_all(_db.engine)
        Base.metadata.create_all(_db.engine)
    return application


def _empty_all_tables() -> None:
    """DELETE in reverse dependency order: on PostgreSQL far faster than TRUNCATE for
    the few rows a test leaves."""
    if _db.engine.dialect.name == "sqlite":
        # Check foreign keys at commit, when every row is gone, not row by row.
        _db.session.execute(sa.text("PRAGMA defer_foreign_keys=ON"))
    for table in reversed(Base.metadata.sorted_tables):
        _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture
def app(_schema: Flask) -> Iterator[Flask]:
    with _schema.app_context():
        factories.reset_sequence()
        yield _schema
        _db.session.rollback()
        _empty_all_tables()
        _db.session.remove()
    clock.freeze(None)


@pytest.fixture
def db(app: Flask):
    return _db


@pytest.fixture
def session(app: Flask):
    return _db.session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def reference_data(app: Flask):
    """Districts, skills, task kinds, stream rules and rates, as `flask jobcenter seed`."""
    from jobcenter.catalog.seed import seed_reference_data

    seed_reference_data(_db.session)
    _db.session.commit()


def login_as(client: FlaskClient, user) -> FlaskClient:
    """Sign the test client in as `user` without the password round-trip."""
    from flask_login.utils import _create_identifier

    with client.application.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess["_id"] = identifier
    return client


@pytest.fixture
def login(client: FlaskClient):
    def do(user) -> FlaskClient:
        return login_as(client, user)

    return do
