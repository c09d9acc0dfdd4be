"""Shifts to check: the supervision row says every level in words, and only a real change
of the task's supervision is flagged (a shift raised for one of its people keeps it)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.notifications.models import OutboxMessage
from jobcenter.scheduling import review
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from jobcenter.scheduling.views import supervision_label
from jobcenter.units.posting import update_task
from tests import factories
from tests.scheduling.conftest import LATER, shift_on

A = AssignmentStatus
pytestmark = pytest.mark.usefixtures("english")

LEVEL_WORDS = {
    0: "0 – Independent: works alone after an introduction.",
    1: "1 – Reachable: the instructor answers the phone and visits.",
    2: "2 – On site: an instructor is there for the whole shift.",
    3: "3 – One-to-one: needs an instructor of their own.",
}


@pytest.fixture
def task_dates() -> list[str]:
    return ["2026-03-10"]


def person_on(session, shift, group, level: int, **assignment_kw):
    person = factories.make_participant(group=group, plan={"supervision_level": level})
    factories.make_assignment(shift, person, A.CONFIRMED, **assignment_kw)
    return person


def raised_for_a_one_to_one_person(session, task, contact, group):
    """The shift of 10.3. was raised to one-to-one for its person; then the unit moved
    the task to 12:00 (the task's own supervision stays: an instructor on site)."""
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        shift.supervision_needed = 3
        person_on(session, shift, group, 3)
        update_task(session, task, actor=contact, values={"preferred_start": "12:00"})
    assert shift.needs_review
    return shift


def outbox_count(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def supervision_row(page: str) -> str:
    start = page.index('<th scope="row">Supervision</th>')
    return page[start : page.index("</tr>", start)]


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_every_supervision_level_has_words(level):
    assert supervision_label(level) == LEVEL_WORDS[level]


def test_shift_raised_for_a_person_is_no_change_of_the_tasks_supervision(
    session, task, contact, group
):
    shift = raised_for_a_one_to_one_person(session, task, contact, group)

    with clock.frozen(LATER):
        change = review.pending_change(session, shift)

    assert change.time_differs(shift)
    assert not change.supervision_differs(shift)
    assert change.supervision_needed == 3


def test_moving_a_raised_shift_keeps_its_supervision_and_instructor(session, task, contact, group):
    shift = raised_for_a_one_to_one_person(session, task, contact, group)
    instructor_id = shift.instructor_id

    with clock.frozen(LATER):
        review.move_to_task(session, shift, group.instructor.user)

    assert clock.to_local(shift.starts_at).hour == 12
    assert (shift.supervision_needed, shift.instructor_id) == (3, instructor_id)


def test_task_that_now_needs_an_instructor_on_site_is_a_change(session, contact, group):
    with clock.frozen(LATER):
        task = factories.make_accepted_task(
            contact, group, dates=["2026-03-10"], preferred_start="09:00", site_supervision="on"
        )
        shift = shift_on(session, task, 10)
        assert (shift.supervision_needed, shift.instructor_id) == (1, None)
        person_on(session, shift, group, 1)
        update_task(session, task, actor=contact, values={"site_supervision": False})
        change = review.pending_change(session, shift)

    assert shift.needs_review
    assert change.supervision_differs(shift)
    assert (change.supervision_needed, change.instructor_id) == (2, group.instructor_id)


def test_site_that_now_guides_frees_the_instructor_when_nobody_needs_one(
    session, task, contact, group
):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        person_on(session, shift, group, 1)
        update_task(session, task, actor=contact, values={"site_supervision": True})
        change = review.pending_change(session, shift)

    assert change.supervision_differs(shift)
    assert (change.supervision_needed, change.instructor_id) == (1, None)


def test_site_that_now_guides_keeps_the_instructor_a_person_on_site_needs(
    session, task, contact, group
):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        person_on(session, shift, group, 2)
        update_task(session, task, actor=contact, values={"site_supervision": True})
        change = review.pending_change(session, shift)

    assert not change.supervision_differs(shift)
    assert (change.supervision_needed, change.instructor_id) == (2, shift.instructor_id)


def test_an_orientation_keeps_the_instructor_on_site(session, task, contact, group):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        person_on(session, shift, group, 0, is_orientation=True)
        update_task(session, task, actor=contact, values={"site_supervision": True})
        change = review.pending_change(session, shift)

    assert not change.supervision_differs(shift)
    assert change.supervision_needed == 2


def test_page_words_a_raised_shift_and_does_not_call_it_changed(
    client, login, session, task, contact, group
):
    shift = raised_for_a_one_to_one_person(session, task, contact, group)
    group.instructor.user.locale = Locale.EN
    session.commit()
    login(group.instructor.user)

    with clock.frozen(LATER):
        page = client.get(f"/shifts/{shift.id}/manage").get_data(as_text=True)

    row = supervision_row(page)
    assert row.count(LEVEL_WORDS[3]) == 2
    assert "(changed)" not in row
    assert ">3<" not in row


def test_page_flags_a_real_change_of_the_tasks_supervision(client, login, session, contact, group):
    with clock.frozen(LATER):
        task = factories.make_accepted_task(
            contact, group, dates=["2026-03-10"], preferred_start="09:00", site_supervision="on"
        )
        shift = shift_on(session, task, 10)
        person_on(session, shift, group, 1)
        update_task(session, task, actor=contact, values={"site_supervision": False})
    group.instructor.user.locale = Locale.EN
    session.commit()
    login(group.instructor.user)

    with clock.frozen(LATER):
        page = client.get(f"/shifts/{shift.id}/manage").get_data(as_text=True)

    row = supervision_row(page)
    assert LEVEL_WORDS[1] in row
    assert LEVEL_WORDS[2] in row
    assert "(changed)" in row


# ---------------------------------------------------------------- the cancel reason's characters


@pytest.mark.parametrize("reason", ["Sairastuminen\x00", "Peruttu\x07 sään takia"])
def test_cancel_reason_with_a_control_character_is_refused_and_nothing_is_told(
    client, login, session, task, group, reason
):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        person_on(session, shift, group, 1)
    group.instructor.user.locale = Locale.EN
    session.commit()
    told_before = outbox_count(session)
    login(group.instructor.user)

    with clock.frozen(LATER):
        response = client.post(f"/shifts/{shift.id}/cancel", data={"cancel-reason": reason})

    assert response.status_code == 422
    assert "Remove control characters from the text." in response.get_data(as_text=True)
    session.expire_all()
    assert (shift.status, shift.cancel_reason) == (ShiftStatus.PLANNED, None)
    assert outbox_count(session) == told_before


def test_cancel_reason_may_have_several_lines(client, login, session, task, group):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
    session.commit()
    login(group.instructor.user)

    with clock.frozen(LATER):
        response = client.post(
            f"/shifts/{shift.id}/cancel",
            data={"cancel-reason": "Sali on varattu.\r\nUusi aika tulee."},
        )

    assert response.status_code == 303
    session.expire_all()
    assert shift.status == ShiftStatus.CANCELLED


def test_api_cancel_reason_with_a_nul_byte_is_a_422_and_stores_nothing(
    client, session, task, group
):
    from jobcenter.accounts.operations import create_api_token

    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        person_on(session, shift, group, 1)
    _row, secret = create_api_token(session, group.instructor.user)
    session.commit()
    told_before = outbox_count(session)

    with clock.frozen(LATER):
        response = client.post(
            f"/api/v1/shifts/{shift.id}/cancel",
            json={"reason": "Sairastuminen\u0000"},
            headers={"Authorization": f"Bearer {secret}"},
        )

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    session.expire_all()
    assert (shift.status, shift.cancel_reason) == (ShiftStatus.PLANNED, None)
    assert outbox_count(session) == told_before


def test_cancel_refuses_control_characters_whoever_calls_it(session, task, group):
    from jobcenter.core.errors import ValidationFailed

    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        with pytest.raises(ValidationFailed) as refused:
            review.cancel(session, shift, group.instructor.user, "Peruttu\x00")

    assert refused.value.errors == {"reason": ["Remove control characters from the text."]}
    assert shift.status == ShiftStatus.PLANNED


def test_a_change_that_leaves_the_shift_as_it_is_does_not_send_a_raised_shift_to_check(
    session, task, contact, group
):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        shift.supervision_needed = 3
        person_on(session, shift, group, 3)
        update_task(session, task, actor=contact, values={"what_to_bring": "Kumisaappaat"})

    assert not shift.needs_review
    assert shift.supervision_needed == 3


def test_an_empty_raised_shift_follows_the_tasks_supervision(session, task, contact, group):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        shift.supervision_needed = 3
        update_task(session, task, actor=contact, values={"preferred_start": "12:00"})

    assert not shift.needs_review
    assert shift.supervision_needed == 2
