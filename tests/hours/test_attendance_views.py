"""Attendance pages: each role gets exactly what it should, the sheet records and
confirms, invalid input is 422 with nothing stored, corrections and month closing
work through the pages."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.accounts.models import AuditEvent
from jobcenter.core import clock
from jobcenter.hours import attendance
from jobcenter.hours.forms import time_options
from jobcenter.hours.models import AttendanceRecord, HourEntry, MonthClosure
from tests import factories

DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=clock.HELSINKI)


@pytest.fixture
def world(session):
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY)
    session.commit()
    return w


def key(w) -> int:
    return w.assignment.id


def present_form(w, **extra) -> dict:
    k = key(w)
    return {
        f"present-{k}": "present",
        f"start-{k}": "2026-11-18T09:00",
        f"end-{k}": "2026-11-18T13:00",
        f"note-{k}": "",
    } | extra


def count(session, model) -> int:
    session.rollback()
    return session.scalar(sa.select(sa.func.count()).select_from(model))


# ---------------------------------------------------------------- who gets what


@pytest.mark.parametrize("endpoint", ["/attendance", "/attendance/overdue", "/attendance/months"])
def test_an_instructor_gets_the_attendance_pages(client, login, world, endpoint):
    login(world.user)
    assert client.get(endpoint).status_code == 200


@pytest.mark.parametrize(
    "maker",
    [factories.make_admin, factories.make_manager, factories.make_unit_contact],
)
@pytest.mark.parametrize("endpoint", ["/attendance", "/attendance/overdue", "/attendance/months"])
def test_other_roles_are_forbidden(client, login, session, world, maker, endpoint):
    user = maker()
    session.commit()
    login(user)
    assert client.get(endpoint).status_code == 403


def test_a_participant_is_forbidden(client, login, world):
    login(world.participant.user)
    assert client.get("/attendance").status_code == 403
    assert client.get(f"/attendance/shifts/{world.shift.id}").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get("/attendance")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_another_instructors_shift_is_404(client, login, session, world):
    stranger = factories.make_instructor().user
    session.commit()
    login(stranger)
    assert client.get(f"/attendance/shifts/{world.shift.id}").status_code == 404
    response = client.post(f"/attendance/shifts/{world.shift.id}/record", data=present_form(world))
    assert response.status_code == 404
    assert count(session, AttendanceRecord) == 0


def test_an_unknown_shift_is_404(client, login, world):
    login(world.user)
    assert client.get("/attendance/shifts/999999").status_code == 404
    assert client.get("/attendance/shifts/99999999999").status_code == 404


def test_the_supervisor_sees_names_of_other_groups_people_on_the_sheet(
    client, login, session, world
):
    guest = factories.make_participant(factories.make_group())
    factories.make_assignment(world.shift, guest)
    session.commit()
    login(world.user)
    page = client.get("/attendance").get_data(as_text=True)
    assert guest.user.full_name in page
    assert world.participant.user.full_name in page


def test_viewing_the_sheet_is_audited_per_person(client, login, session, world):
    login(world.user)
    client.get(f"/attendance/shifts/{world.shift.id}")
    session.rollback()
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "attendance.view")
    ).all()
    assert [e.participant_id for e in events] == [world.participant.id]


# ---------------------------------------------------------------- today's sheet


def test_today_lists_the_shift_with_planned_times_prefilled(client, login, world):
    login(world.user)
    page = client.get("/attendance").get_data(as_text=True)
    assert world.task.title in page
    assert f'name="start-{key(world)}"' in page
    assert 'value="2026-11-18T09:00" selected' in page
    assert 'value="2026-11-18T13:00" selected' in page
    assert "All present as planned" in page


def test_saving_and_confirming_the_sheet_adds_hours(client, login, session, world):
    login(world.user)
    response = client.post(
        f"/attendance/shifts/{world.shift.id}/record", data=present_form(world, action="confirm")
    )
    assert response.status_code == 302
    assert count(session, HourEntry) == 1
    assert session.scalar(sa.select(HourEntry.minutes)) == 240


def test_saving_without_confirming_adds_no_hours(client, login, session, world):
    login(world.user)
    response = client.post(
        f"/attendance/shifts/{world.shift.id}/record", data=present_form(world, action="save")
    )
    assert response.status_code == 302
    assert count(session, AttendanceRecord) == 1
    assert count(session, HourEntry) == 0


def test_invalid_times_answer_422_with_the_reason_and_store_nothing(client, login, session, world):
    login(world.user)
    form = present_form(world, **{f"end-{key(world)}": "2026-11-18T08:00"})
    response = client.post(f"/attendance/shifts/{world.shift.id}/record", data=form)
    assert response.status_code == 422
    assert "The end must be after the start." in response.get_data(as_text=True)
    assert count(session, AttendanceRecord) == 0


def test_garbage_times_answer_422(client, login, session, world):
    login(world.user)
    form = present_form(world, **{f"start-{key(world)}": "yesterday"})
    response = client.post(f"/attendance/shifts/{world.shift.id}/record", data=form)
    assert response.status_code == 422
    assert count(session, AttendanceRecord) == 0


def test_a_row_without_a_choice_answers_422(client, login, session, world):
    login(world.user)
    response = client.post(f"/attendance/shifts/{world.shift.id}/record", data={})
    assert response.status_code == 422
    assert "Choose present or absent." in response.get_data(as_text=True)


def test_absent_without_a_kind_answers_422(client, login, session, world):
    login(world.user)
    response = client.post(
        f"/attendance/shifts/{world.shift.id}/record", data={f"present-{key(world)}": "absent"}
    )
    assert response.status_code == 422
    assert "Choose the kind of absence." in response.get_data(as_text=True)


def test_all_present_then_confirm_through_the_buttons(client, login, session, world):
    login(world.user)
    assert client.post(f"/attendance/shifts/{world.shift.id}/all-present").status_code == 302
    assert client.post(f"/attendance/shifts/{world.shift.id}/confirm").status_code == 302
    assert session.scalar(sa.select(HourEntry.minutes)) == 240


def test_confirming_with_nobody_recorded_answers_409(client, login, session, world):
    login(world.user)
    response = client.post(f"/attendance/shifts/{world.shift.id}/confirm")
    assert response.status_code == 409
    assert count(session, HourEntry) == 0


def test_recording_a_shift_that_has_not_started_answers_409(client, login, session, world):
    clock.freeze(datetime(2026, 11, 18, 8, 0, tzinfo=clock.HELSINKI))
    login(world.user)
    response = client.post(f"/attendance/shifts/{world.shift.id}/record", data=present_form(world))
    assert response.status_code == 409
    assert count(session, AttendanceRecord) == 0


# ---------------------------------------------------------------- corrections


def confirmed(session, w) -> AttendanceRecord:
    rec = factories.confirm_as_planned(session, w)
    session.commit()
    return rec


def test_the_shift_page_shows_the_history_and_a_correction_form(client, login, session, world):
    rec = confirmed(session, world)
    login(world.user)
    page = client.get(f"/attendance/shifts/{world.shift.id}").get_data(as_text=True)
    assert "History and corrections" in page
    assert f"/attendance/records/{rec.id}/correct" in page


def test_the_wage_on_the_shift_page_is_written_the_finnish_way(client, login, session, world):
    confirmed(session, world)
    login(world.user)
    page = client.get(f"/attendance/shifts/{world.shift.id}?lang=fi").get_data(as_text=True)
    assert "10,00 €" in page
    assert "10.00 €" not in page


def test_a_correction_through_the_page_reverses_and_adds(client, login, session, world):
    rec = confirmed(session, world)
    k = key(world)
    login(world.user)
    response = client.post(
        f"/attendance/records/{rec.id}/correct",
        data={
            f"cpresent-{k}": "present",
            f"cstart-{k}": "2026-11-18T09:00",
            f"cend-{k}": "2026-11-18T12:00",
            f"creason-{k}": "Lähti aiemmin",
        },
    )
    assert response.status_code == 302
    session.rollback()
    assert [e.minutes for e in session.scalars(sa.select(HourEntry).order_by(HourEntry.id))] == [
        240,
        -240,
        180,
    ]
    page = client.get(f"/attendance/shifts/{world.shift.id}").get_data(as_text=True)
    assert "Lähti aiemmin" in page
    assert "Reversal of an earlier entry" in page


def test_a_correction_without_a_reason_answers_422(client, login, session, world):
    rec = confirmed(session, world)
    k = key(world)
    login(world.user)
    response = client.post(
        f"/attendance/records/{rec.id}/correct",
        data={f"cpresent-{k}": "absent", f"ckind-{k}": "unexcused", f"creason-{k}": ""},
    )
    assert response.status_code == 422
    assert count(session, AttendanceRecord) == 1


def test_another_instructor_cannot_correct_through_the_page(client, login, session, world):
    rec = confirmed(session, world)
    stranger = factories.make_instructor().user
    session.commit()
    login(stranger)
    response = client.post(f"/attendance/records/{rec.id}/correct", data={})
    assert response.status_code == 404


# ---------------------------------------------------------------- months


def confirm_and_end_november(session, world):
    """Everything of November confirmed and the month over: it may be closed."""
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, world.user, world.shift)
    session.commit()
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))


def test_closing_and_reopening_a_month_through_the_page(client, login, session, world):
    confirm_and_end_november(session, world)
    login(world.user)
    url = f"/attendance/months/{world.group.id}/2026-11"
    assert client.post(f"{url}/close").status_code == 302
    assert "Closed" in client.get("/attendance/months").get_data(as_text=True)
    assert client.post(f"{url}/reopen", data={"reason": ""}).status_code == 422
    assert client.post(f"{url}/reopen", data={"reason": "Korjaus"}).status_code == 302
    session.rollback()
    closure = session.scalar(sa.select(MonthClosure))
    assert closure.reopen_reason == "Korjaus"


def test_another_instructors_group_month_is_404(client, login, session, world):
    stranger = factories.make_instructor().user
    session.commit()
    login(stranger)
    assert client.post(f"/attendance/months/{world.group.id}/2026-11/close").status_code == 404
    assert count(session, MonthClosure) == 0


def test_a_nonsense_month_is_404(client, login, world):
    login(world.user)
    assert client.post(f"/attendance/months/{world.group.id}/2026-99/close").status_code == 404


def test_recording_in_a_closed_month_answers_409(client, login, session, world):
    other = factories.make_assignment(world.shift, factories.make_participant(world.group))
    session.commit()
    session.add(MonthClosure(group_id=world.group.id, month=date(2026, 11, 1), closed_at=NOW))
    session.commit()  # closed before closing waited for confirmations: the row has no record
    login(world.user)
    form = {
        f"present-{other.id}": "present",
        f"start-{other.id}": "2026-11-18T09:00",
        f"end-{other.id}": "2026-11-18T13:00",
    }
    response = client.post(f"/attendance/shifts/{world.shift.id}/record", data=form)
    assert response.status_code == 409
    assert "closed" in response.get_data(as_text=True)


# ---------------------------------------------------------------- overdue and menu


def test_overdue_lists_the_ended_shift(client, login, world):
    login(world.user)
    page = client.get("/attendance/overdue").get_data(as_text=True)
    assert world.task.title in page


def test_the_menu_shows_attendance_to_instructors(client, login, world):
    login(world.user)
    page = client.get("/home").get_data(as_text=True)
    assert 'href="/attendance"' in page
    assert 'href="/attendance/months"' in page


def test_a_closed_groups_row_is_read_only_and_the_others_can_still_be_saved(
    client, login, session, world
):
    confirm_and_end_november(session, world)
    guest = factories.make_assignment(
        world.shift, factories.make_participant(factories.make_group())
    )
    attendance.close_month(session, world.user, world.group, date(2026, 11, 1))
    session.commit()
    login(world.user)
    page = client.get(f"/attendance/shifts/{world.shift.id}").get_data(as_text=True)
    assert f'name="present-{key(world)}"' not in page
    assert "Month closed" in page
    form = {
        f"present-{guest.id}": "present",
        f"start-{guest.id}": "2026-11-18T09:00",
        f"end-{guest.id}": "2026-11-18T13:00",
    }
    response = client.post(f"/attendance/shifts/{world.shift.id}/record", data=form)
    assert response.status_code == 302
    assert count(session, AttendanceRecord) == 2


def test_a_present_record_without_real_times_shows_the_planned_times(client, login, session, world):
    # Older or imported records may say "present" without clock times.
    factories.make_attendance_record(world.assignment, actual_start=None, actual_end=None)
    session.commit()
    login(world.user)
    response = client.get(f"/attendance/shifts/{world.shift.id}")
    assert response.status_code == 200
    assert 'value="2026-11-18T09:00"' in response.get_data(as_text=True)


def test_time_choices_read_in_the_finnish_way_on_finnish_pages(app, world):
    with app.test_request_context(), force_locale("fi"):
        labels = dict(time_options(world.shift))
    assert labels["2026-11-18T09:00"] == "9.00"
    assert labels["2026-11-18T09:15"] == "9.15"


# ---------------------------------------------------------------- closing only what is over


def test_a_month_in_progress_offers_no_close_button_and_says_when_it_can_be_closed(
    client, login, world
):
    login(world.user)
    page = client.get("/attendance/months").get_data(as_text=True)
    assert "Close November 2026" not in page
    assert "The month November 2026 is not over yet. It can be closed from 1.12.2026" in page


def test_closing_a_month_in_progress_through_the_page_is_refused_and_stores_nothing(
    client, login, session, world
):
    login(world.user)
    response = client.post(f"/attendance/months/{world.group.id}/2026-11/close")
    assert response.status_code == 409
    assert "is not over yet" in response.get_data(as_text=True)
    assert count(session, MonthClosure) == 0


def test_a_month_with_unconfirmed_attendance_says_how_many_and_points_to_the_missing_list(
    client, login, session, world
):
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))
    login(world.user)
    page = client.get("/attendance/months").get_data(as_text=True)
    assert "Close November 2026" not in page
    assert "1 shift still has attendance that is not confirmed" in page
    assert 'href="/attendance/overdue"' in page
    response = client.post(f"/attendance/months/{world.group.id}/2026-11/close")
    assert response.status_code == 409
    assert count(session, MonthClosure) == 0


def test_a_finished_and_confirmed_month_offers_the_close_button(client, login, session, world):
    confirm_and_end_november(session, world)
    login(world.user)
    page = client.get("/attendance/months").get_data(as_text=True)
    assert "Close November 2026" in page
    assert "Close October 2026" in page
    assert "Close December 2026" not in page


def test_a_shift_of_a_closed_month_offers_no_save_confirm_or_all_present(
    client, login, session, world
):
    # A month closed before closing waited for confirmations: a draft is left in it.
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    session.add(MonthClosure(group_id=world.group.id, month=date(2026, 11, 1), closed_at=NOW))
    session.commit()
    login(world.user)
    page = client.get(f"/attendance/shifts/{world.shift.id}").get_data(as_text=True)
    assert "Month closed" in page
    assert 'value="save"' not in page
    assert 'value="confirm"' not in page
    assert "All present as planned" not in page
    assert "Reopen it with a reason to correct this." in page
    assert 'href="/attendance/months"' in page


def test_all_present_with_nobody_left_to_mark_says_so_instead_of_zero(
    client, login, session, world
):
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    session.commit()
    login(world.user)
    response = client.post(
        f"/attendance/shifts/{world.shift.id}/all-present",
        data={"next": "shift"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Nobody was marked: everyone here already has attendance recorded." in page
    assert "0 marked present" not in page


def test_recorded_hours_read_with_their_unit(client, login, session, world):
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    session.commit()
    login(world.user)
    page = client.get(f"/attendance/shifts/{world.shift.id}").get_data(as_text=True)
    assert "Present 09:00–13:00 (4 h)" in page
