"""A shift cancelled by the system ("the days of the task changed") keeps the English
source text and every reader sees it in their own language: the shift page, the
cancellation e-mail and the shifts API. A reason a person typed is shown as typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobcenter.accounts.operations import create_api_token
from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.notifications.models import OutboxMessage
from jobcenter.scheduling import review
from jobcenter.scheduling.models import AssignmentEvent, AssignmentStatus, ShiftStatus
from jobcenter.units.posting import update_task
from tests import factories
from tests.scheduling.test_review import LATER, T0

MSGID = "The days of the task changed."
FINNISH = "Työtehtävän päivät muuttuivat."
SWEDISH = "Arbetsuppgiftens dagar har ändrats."


@pytest.fixture
def setting(session):
    """Anna (reads Swedish) is confirmed on a shift whose day the unit has just taken
    off the task; the group's instructor reads Finnish."""
    w = factories.make_shift_with_waiting_change(T0, LATER)
    w.group.instructor.user.locale = Locale.FI
    w.person.user.email = "anna@example.test"
    w.person.user.locale = Locale.SV
    with clock.frozen(LATER):
        other_day = (clock.to_local(w.shift.starts_at).date() + timedelta(days=1)).isoformat()
        update_task(session, w.task, actor=w.contact, values={"dates": [other_day]})
    session.commit()
    return w


@pytest.fixture
def cancelled_by_finnish_instructor(client, login, session, setting):
    """The Finnish instructor takes the change on the shift page: the day is cancelled."""
    login(setting.group.instructor.user)
    with clock.frozen(LATER):
        response = client.post(f"/shifts/{setting.shift.id}/move", follow_redirects=True)
    assert response.status_code == 200
    session.expire_all()
    assert setting.shift.status == ShiftStatus.CANCELLED
    client.get("/logout")
    return setting


def _token(session, user) -> dict[str, str]:
    _row, secret = create_api_token(session, user)
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_a_day_cancelled_by_a_finnish_instructor_is_stored_as_the_english_source_text(
    session, cancelled_by_finnish_instructor
):
    shift = cancelled_by_finnish_instructor.shift
    event_reasons = session.scalars(
        sa.select(AssignmentEvent.reason).where(
            AssignmentEvent.to_status == AssignmentStatus.CANCELLED
        )
    ).all()

    assert shift.cancel_reason == MSGID
    assert event_reasons == [MSGID]


def test_a_swedish_reader_sees_in_swedish_why_a_finnish_instructor_cancelled_the_day(
    client, login, session, cancelled_by_finnish_instructor
):
    login(factories.make_admin(locale=Locale.SV))

    with clock.frozen(LATER):
        page = client.get(f"/shifts/{cancelled_by_finnish_instructor.shift.id}/manage")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Orsak: {SWEDISH}" in text
    assert FINNISH not in text
    assert MSGID not in text


def test_a_finnish_reader_sees_the_same_reason_in_finnish(
    client, login, session, cancelled_by_finnish_instructor
):
    login(factories.make_admin(locale=Locale.FI))

    with clock.frozen(LATER):
        page = client.get(f"/shifts/{cancelled_by_finnish_instructor.shift.id}/manage")

    assert FINNISH in page.get_data(as_text=True)


def test_the_cancellation_email_gives_the_reason_in_the_recipients_language(
    session, cancelled_by_finnish_instructor
):
    body = session.scalars(
        sa.select(OutboxMessage.body).where(OutboxMessage.to_address == "anna@example.test")
    ).all()[-1]

    assert SWEDISH in body
    assert FINNISH not in body


def test_the_shifts_api_keeps_the_stored_reason_and_writes_it_in_the_callers_language(
    client, session, cancelled_by_finnish_instructor
):
    reader = factories.make_manager(locale=Locale.FI)
    headers = _token(session, reader)
    shift_id = cancelled_by_finnish_instructor.shift.id

    english = client.get(f"/api/v1/shifts/{shift_id}", headers=headers | {"Accept-Language": "en"})
    swedish = client.get(f"/api/v1/shifts/{shift_id}", headers=headers | {"Accept-Language": "sv"})

    assert english.headers["Content-Language"] == "en"
    assert (english.json["cancel_reason"], english.json["cancel_reason_text"]) == (MSGID, MSGID)
    assert swedish.headers["Content-Language"] == "sv"
    assert (swedish.json["cancel_reason"], swedish.json["cancel_reason_text"]) == (MSGID, SWEDISH)


def test_the_shifts_list_writes_a_system_reason_in_the_accounts_language_by_default(
    client, session, cancelled_by_finnish_instructor
):
    reader = factories.make_manager(locale=Locale.SV)

    response = client.get("/api/v1/shifts", headers=_token(session, reader))

    row = next(r for r in response.json["items"] if r["status"] == "cancelled")
    assert response.headers["Content-Language"] == "sv"
    assert (row["cancel_reason"], row["cancel_reason_text"]) == (MSGID, SWEDISH)


def test_a_reason_an_instructor_typed_is_shown_as_typed_even_if_it_is_another_msgid(
    client, login, session, setting
):
    # "This shift was cancelled." is in the catalogue (Swedish: "Arbetspasset ställdes
    # in.") but it is not a system text: what a person wrote is never translated.
    typed = "This shift was cancelled."
    with clock.frozen(LATER):
        review.cancel(session, setting.shift, setting.group.instructor.user, typed)
    session.commit()
    login(factories.make_admin(locale=Locale.SV))

    with clock.frozen(LATER):
        page = client.get(f"/shifts/{setting.shift.id}/manage").get_data(as_text=True)
    api = client.get(
        f"/api/v1/shifts/{setting.shift.id}",
        headers=_token(session, factories.make_manager()) | {"Accept-Language": "sv"},
    ).json

    assert f"Orsak: {typed}" in page
    assert "Arbetspasset ställdes in." not in page
    assert (api["cancel_reason"], api["cancel_reason_text"]) == (typed, typed)


def test_a_shift_that_is_not_cancelled_has_no_reason_text_in_the_api(client, session, setting):
    response = client.get(
        f"/api/v1/shifts/{setting.shift.id}", headers=_token(session, factories.make_manager())
    )

    assert (response.json["cancel_reason"], response.json["cancel_reason_text"]) == (None, None)


def test_the_participant_sees_on_her_shift_page_why_it_was_cancelled_in_her_language(
    client, login, session, cancelled_by_finnish_instructor
):
    anna = cancelled_by_finnish_instructor.person
    login(anna.user)

    with clock.frozen(LATER):
        page = client.get(f"/my/shifts/{cancelled_by_finnish_instructor.shift.id}")

    assert page.status_code == 200
    assert SWEDISH in page.text
    assert FINNISH not in page.text
