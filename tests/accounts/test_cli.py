"""`flask jobcenter create-admin`: the first administrator of a new installation."""

import sqlalchemy as sa

from jobcenter.accounts.models import User
from jobcenter.accounts.operations import authenticate
from jobcenter.core.enums import Role
from tests import factories


def test_create_admin_makes_an_admin_who_can_sign_in(app, session):
    result = app.test_cli_runner().invoke(
        args=[
            "jobcenter",
            "create-admin",
            "Paa.Kayttaja@Hel.example",
            "--password",
            "vahva salasana 1",
        ]
    )

    assert result.exit_code == 0, result.output
    user = authenticate(session, "paa.kayttaja@hel.example", "vahva salasana 1")
    assert user is not None
    assert user.role == Role.ADMIN


def test_create_admin_refuses_a_short_password_and_creates_nobody(app, session):
    result = app.test_cli_runner().invoke(
        args=["jobcenter", "create-admin", "admin@hel.example", "--password", "short"]
    )

    assert result.exit_code != 0
    assert "at least" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_create_admin_refuses_an_address_already_in_use(app, session):
    factories.make_manager(email="admin@hel.example")
    session.commit()

    result = app.test_cli_runner().invoke(
        args=["jobcenter", "create-admin", "admin@hel.example", "--password", "vahva salasana 1"]
    )

    assert result.exit_code != 0
    assert "email" in result.output
