"""`flask jobcenter api-token EMAIL` prints a token that works against the API."""

from __future__ import annotations

import sqlalchemy as sa

from jobcenter.accounts.models import ApiToken
from jobcenter.accounts.secrets import hash_secret
from tests import factories


def test_printed_token_authenticates_as_the_user(app, client, session):
    user = factories.make_unit_contact(email="kirjasto@example.test")
    session.commit()
    result = app.test_cli_runner().invoke(args=["jobcenter", "api-token", "kirjasto@example.test"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.get_json()["id"] == user.id


def test_email_is_matched_without_case(app, session):
    factories.make_manager(email="maija@example.test")
    session.commit()
    result = app.test_cli_runner().invoke(args=["jobcenter", "api-token", "MAIJA@example.test"])
    assert result.exit_code == 0, result.output


def test_database_keeps_only_the_hash(app, session):
    user = factories.make_admin(email="admin@example.test")
    session.commit()
    result = app.test_cli_runner().invoke(
        args=["jobcenter", "api-token", "admin@example.test", "--name", "Reporting"]
    )
    secret = result.output.strip()
    session.expire_all()
    token = session.scalars(sa.select(ApiToken)).one()
    assert token.user_id == user.id
    assert token.name == "Reporting"
    assert token.token_hash == hash_secret(secret)
    assert secret not in (token.token_hash, token.prefix)
    assert secret.startswith(token.prefix)


def test_unknown_email_fails_with_a_clear_message(app, session):
    result = app.test_cli_runner().invoke(args=["jobcenter", "api-token", "nobody@example.test"])
    assert result.exit_code != 0
    assert "nobody@example.test" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_deactivated_user_gets_no_token(app, session):
    factories.make_manager(email="left@example.test", is_active_account=False)
    session.commit()
    result = app.test_cli_runner().invoke(args=["jobcenter", "api-token", "left@example.test"])
    assert result.exit_code != 0
    assert session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_each_run_prints_a_new_token(app, session):
    factories.make_manager(email="maija@example.test")
    session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["jobcenter", "api-token", "maija@example.test"]).output.strip()
    second = runner.invoke(args=["jobcenter", "api-token", "maija@example.test"]).output.strip()
    assert first != second
