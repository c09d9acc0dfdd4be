"""Database constraints on accounts: users, one-time tokens, API tokens, audit events."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import ApiToken, AuditEvent, OneTimeToken, TokenPurpose, User
from jobcenter.core import clock
from jobcenter.core.enums import Role
from tests import factories
from tests.core.constraints import delete_row, refused, update_raw


def _token(user: User, **kw) -> OneTimeToken:
    values = {
        "user_id": user.id,
        "purpose": TokenPurpose.PASSWORD_RESET,
        "token_hash": "a" * 64,
        "expires_at": clock.now() + timedelta(hours=2),
    }
    return OneTimeToken(**(values | kw))


def test_unit_contact_without_unit_is_refused(session):
    with refused(session, "ck_users_unit_only_for_unit_contacts"):
        factories.make_user(Role.UNIT_CONTACT, unit=None)


@pytest.mark.parametrize(
    "role", [Role.INSTRUCTOR, Role.PARTICIPANT, Role.MANAGER, Role.ADMIN], ids=str
)
def test_user_who_is_not_a_unit_contact_cannot_belong_to_a_unit(session, role):
    unit = factories.make_unit()
    with refused(session, "ck_users_unit_only_for_unit_contacts"):
        factories.make_user(role, unit=unit)


@pytest.mark.parametrize(
    "role", [Role.UNIT_CONTACT, Role.INSTRUCTOR, Role.MANAGER, Role.ADMIN], ids=str
)
def test_staff_user_without_email_is_refused(session, role):
    with refused(session, "ck_users_email_required"):
        factories.make_user(role, email=None)


def test_participant_may_have_no_email(session):
    participant = factories.make_participant()
    session.commit()
    assert session.get(User, participant.user_id).email is None


def test_two_participants_without_email_are_allowed(session):
    factories.make_participant()
    factories.make_participant()
    session.commit()
    count = session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email.is_(None)))
    assert count == 2


def test_email_address_is_unique(session):
    factories.make_manager(email="maija@example.test")
    with refused(session, "uq_users_email"):
        factories.make_admin(email="maija@example.test")


def test_email_address_is_unique_whatever_its_case(session):
    factories.make_manager(email="maija@example.test")
    with pytest.raises(sa.exc.IntegrityError):
        factories.make_admin(email="Maija@Example.test")
    session.rollback()


def test_email_is_stored_lower_case(session):
    user = factories.make_manager(email="  Maija.Meikalainen@Example.TEST ")
    assert user.email == "maija.meikalainen@example.test"


def test_mixed_case_email_written_around_the_model_is_refused(session):
    user = factories.make_manager()
    with refused(session, "ck_users_email_lowercase"):
        update_raw(session, "users", user.id, email="Someone@Example.test")


def test_role_outside_the_vocabulary_is_refused(session):
    user = factories.make_manager()
    with refused(session, "ck_users_role"):
        update_raw(session, "users", user.id, role="superuser")


def test_locale_outside_the_vocabulary_is_refused(session):
    user = factories.make_manager()
    with refused(session, "ck_users_locale"):
        update_raw(session, "users", user.id, locale="de")


def test_deleting_a_unit_that_has_contacts_is_refused(session):
    from jobcenter.units.models import Unit

    contact = factories.make_unit_contact()
    with refused(session, "fk_users_unit_id_units"):
        delete_row(session, Unit, contact.unit_id)


def test_deleting_a_user_who_is_an_instructor_is_refused(session):
    instructor = factories.make_instructor()
    with refused(session, "fk_instructors_user_id_users"):
        delete_row(session, User, instructor.user_id)


def test_deleting_a_user_who_is_a_participant_is_refused(session):
    participant = factories.make_participant()
    with refused(session, "fk_participants_user_id_users"):
        delete_row(session, User, participant.user_id)


def test_one_time_token_with_unknown_purpose_is_refused(session):
    user = factories.make_manager()
    with refused(session, "ck_one_time_tokens_purpose"):
        session.add(_token(user, purpose="unlock"))


def test_one_time_token_expiring_before_it_was_created_is_refused(session):
    user = factories.make_manager()
    with refused(session, "ck_one_time_tokens_expiry_after_creation"):
        session.add(_token(user, expires_at=clock.now() - timedelta(seconds=1)))


def test_one_time_token_hash_is_unique(session):
    user = factories.make_manager()
    session.add(_token(user, token_hash="b" * 64))
    session.flush()
    with refused(session, "uq_one_time_tokens_token_hash"):
        session.add(_token(user, token_hash="b" * 64, purpose=TokenPurpose.SIGN_IN))


def test_deleting_a_user_deletes_their_one_time_tokens(session):
    user = factories.make_manager()
    session.add(_token(user))
    session.flush()
    delete_row(session, User, user.id)
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(OneTimeToken)) == 0


def test_api_token_hash_is_unique(session):
    user = factories.make_manager()
    values = {"user_id": user.id, "name": "CLI", "prefix": "jc_abcdefg", "token_hash": "c" * 64}
    session.add(ApiToken(**values))
    session.flush()
    with refused(session, "uq_api_tokens_token_hash"):
        session.add(ApiToken(**(values | {"name": "Other"})))


def test_deleting_a_user_keeps_their_audit_events_without_the_actor(session):
    user = factories.make_manager()
    session.add(AuditEvent(actor_id=user.id, action="login"))
    session.flush()
    delete_row(session, User, user.id)
    session.commit()
    event = session.scalars(sa.select(AuditEvent)).one()
    assert (event.action, event.actor_id) == ("login", None)
