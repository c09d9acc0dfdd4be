"""Posting a task: every field validated with its own message; invalid input stores nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.catalog.models import StreamRule
from jobcenter.core import clock
from jobcenter.core.enums import Stream
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.units import lifecycle
from jobcenter.units.models import Task, TaskDate, TaskEvent, TaskStatus
from jobcenter.units.posting import create_task, max_shift_minutes, update_task
from tests import factories

# Monday 2 March 2026, 10:00 in Helsinki.
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english_on_monday(app):
    with clock.frozen(T0), force_locale("en"):
        yield


@pytest.fixture
def contact(session):
    return factories.make_unit_contact()


@pytest.fixture
def kind(session):
    return factories.make_task_kind()


def post(session, contact, kind, submit=False, **overrides):
    values = factories.task_values(kind, **overrides)
    return create_task(session, unit=contact.unit, actor=contact, values=values, submit=submit)


def errors_of(session, contact, kind, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as exc:
        post(session, contact, kind, **overrides)
    return exc.value.errors


def task_count(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Task))


# ---------------------------------------------------------------- saving


def test_posting_creates_a_draft_with_its_dates_and_first_history_line(session, contact, kind):
    task = post(
        session,
        contact,
        kind,
        dates=["2026-03-10", {"day": "2026-03-12", "start_time": "12:30"}],
        required_skill_ids=[],
    )
    assert task.status == TaskStatus.DRAFT
    assert task.unit_id == contact.unit_id
    assert task.created_by_id == contact.id
    assert [(d.day, d.start_time) for d in task.dates] == [
        (date(2026, 3, 10), None),
        (date(2026, 3, 12), time(12, 30)),
    ]
    assert (task.first_date, task.last_date) == (date(2026, 3, 10), date(2026, 3, 12))
    assert task.preferred_start == time(9, 0)
    assert task.headcount == 2
    assert task.shift_minutes == 240
    [event] = task.events
    assert (event.from_status, event.to_status, event.actor_id) == (
        None,
        TaskStatus.DRAFT,
        contact.id,
    )


def test_site_address_defaults_to_the_units_own_address(session, contact, kind):
    task = post(session, contact, kind)
    assert task.site_address == contact.unit.street_address
    assert task.site_postal_code == contact.unit.postal_code


def test_typed_values_from_an_api_schema_are_accepted_too(session, contact, kind):
    skill = factories.make_skill()
    task = post(
        session,
        contact,
        kind,
        task_kind_id=kind.id,
        headcount=3,
        shift_minutes=180,
        dates=[date(2026, 3, 20)],
        preferred_start=time(8, 0),
        site_supervision=True,
        required_skill_ids=[skill.id],
    )
    assert (task.headcount, task.shift_minutes, task.site_supervision) == (3, 180, True)
    assert task.required_skills == [skill]


def test_posting_with_submit_sends_the_task_to_instructors(session, contact, kind):
    task = post(session, contact, kind, submit=True)
    assert task.status == TaskStatus.SUBMITTED
    assert [(e.from_status, e.to_status) for e in task.events] == [
        (None, TaskStatus.DRAFT),
        (TaskStatus.DRAFT, TaskStatus.SUBMITTED),
    ]


def test_a_weekly_repeat_is_stored_in_its_canonical_form(session, contact, kind):
    task = post(
        session,
        contact,
        kind,
        dates=[],
        recurrence="byday=th,tu;freq=weekly;count=6",
        first_date="2026-03-03",
        submit=True,
    )
    assert task.recurrence == "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6"
    assert task.dates == []
    assert task.status == TaskStatus.SUBMITTED


def test_a_draft_can_be_saved_without_dates_or_start_time(session, contact, kind):
    task = post(session, contact, kind, dates=[], preferred_start="")
    assert task.status == TaskStatus.DRAFT
    assert task.dates == []
    assert task.preferred_start is None


def test_an_incomplete_draft_cannot_be_submitted(session, contact, kind):
    task = post(session, contact, kind, dates=[], preferred_start="")
    session.commit()
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.submit(session, task, contact)
    assert exc.value.errors == {
        "dates": ["Choose the dates, or make the work repeat weekly."],
    }


def test_an_incomplete_draft_posted_with_submit_stores_nothing(session, contact, kind):
    with pytest.raises(ValidationFailed) as exc:
        post(session, contact, kind, preferred_start="", submit=True)
    assert exc.value.errors == {"preferred_start": ["Tell when the work starts."]}
    assert task_count(session) == 0


def test_a_repeat_needs_its_first_day_before_submission(session, contact, kind):
    with pytest.raises(ValidationFailed) as exc:
        post(session, contact, kind, dates=[], recurrence="FREQ=WEEKLY;BYDAY=MO", submit=True)
    assert exc.value.errors == {"first_date": ["Choose the day the repeating work starts."]}


# ---------------------------------------------------------------- one message per field


def test_title_is_required(session, contact, kind):
    assert errors_of(session, contact, kind, title="  ") == {
        "title": ["Give the task a short title."]
    }
    assert task_count(session) == 0


def test_long_texts_are_refused(session, contact, kind):
    errors = errors_of(session, contact, kind, title="x" * 161)
    assert errors == {"title": ["Use at most 160 characters."]}


def test_task_kind_is_required(session, contact, kind):
    assert errors_of(session, contact, kind, task_kind_id="") == {
        "task_kind_id": ["Choose the kind of work."]
    }


def test_unknown_task_kind_is_refused(session, contact, kind):
    assert errors_of(session, contact, kind, task_kind_id="999999") == {
        "task_kind_id": ["Choose a kind of work from the list."]
    }


def test_inactive_task_kind_is_refused(session, contact, kind):
    kind.is_active = False
    assert errors_of(session, contact, kind) == {
        "task_kind_id": ["Choose a kind of work from the list."]
    }


def test_unknown_skill_is_refused(session, contact, kind):
    skill = factories.make_skill()
    errors = errors_of(session, contact, kind, required_skill_ids=[str(skill.id), "999999"])
    assert errors == {"required_skill_ids": ["Choose skills from the list."]}
    assert task_count(session) == 0


def test_inactive_skill_is_refused(session, contact, kind):
    skill = factories.make_skill(is_active=False)
    assert errors_of(session, contact, kind, required_skill_ids=[skill.id]) == {
        "required_skill_ids": ["Choose skills from the list."]
    }


def test_unknown_district_is_refused(session, contact, kind):
    assert errors_of(session, contact, kind, district_id="424242") == {
        "district_id": ["Choose a district from the list."]
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "At least one person is needed."),
        ("-2", "At least one person is needed."),
        ("two", "Enter a whole number."),
        ("1.5", "Enter a whole number."),
        ("", "Tell how many people are needed."),
        ("31", "At most 30 people per shift."),
    ],
)
def test_headcount_must_be_a_sensible_whole_number(session, contact, kind, value, message):
    assert errors_of(session, contact, kind, headcount=value) == {"headcount": [message]}
    assert task_count(session) == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Tell how long a shift is."),
        ("abc", "Enter the length in whole minutes."),
        ("20", "A shift is at least 30 minutes."),
    ],
)
def test_shift_length_must_be_whole_minutes(session, contact, kind, value, message):
    assert errors_of(session, contact, kind, shift_minutes=value) == {"shift_minutes": [message]}


def _limit_streams(session, rehabilitative: int | None, disability: int | None) -> None:
    for stream, limit in ((Stream.REHABILITATIVE, rehabilitative), (Stream.DISABILITY, disability)):
        session.add(
            StreamRule(stream=stream, valid_from=date(2020, 1, 1), max_minutes_per_day=limit)
        )
    session.flush()


def test_shift_longer_than_any_stream_allows_is_refused(session, contact, kind):
    _limit_streams(session, rehabilitative=8 * 60, disability=6 * 60)
    assert errors_of(session, contact, kind, shift_minutes="510") == {
        "shift_minutes": ["A shift can be at most 8 hours long."]
    }
    assert post(session, contact, kind, shift_minutes="480").shift_minutes == 480


def test_a_stream_without_a_daily_limit_leaves_only_the_absolute_cap(session, contact, kind):
    _limit_streams(session, rehabilitative=8 * 60, disability=None)
    assert post(session, contact, kind, shift_minutes="600").shift_minutes == 600
    assert errors_of(session, contact, kind, shift_minutes="750") == {
        "shift_minutes": ["A shift can be at most 12 hours long."]
    }


def test_the_seeded_legal_defaults_cap_shifts_at_twelve_hours(
    session, reference_data, contact, kind
):
    assert max_shift_minutes(session) == 12 * 60


def test_only_stream_rules_in_force_count(session):
    session.add_all(
        [
            StreamRule(
                stream=Stream.REHABILITATIVE,
                valid_from=date(2020, 1, 1),
                valid_to=date(2026, 1, 1),
                max_minutes_per_day=300,
            ),
            StreamRule(
                stream=Stream.REHABILITATIVE, valid_from=date(2026, 1, 1), max_minutes_per_day=420
            ),
            StreamRule(
                stream=Stream.DISABILITY, valid_from=date(2020, 1, 1), max_minutes_per_day=360
            ),
        ]
    )
    session.flush()
    assert max_shift_minutes(session, date(2025, 6, 1)) == 360
    assert max_shift_minutes(session, date(2026, 6, 1)) == 420


def test_date_in_the_past_is_refused(session, contact, kind):
    assert errors_of(session, contact, kind, dates=["2026-03-01"]) == {
        "dates": ["The date 1.3.2026 has already passed."]
    }
    assert task_count(session) == 0


def test_a_start_time_today_that_has_passed_is_refused(session, contact, kind):
    # T0 is Monday 2.3.2026 10:00 in Helsinki
    errors = errors_of(session, contact, kind, dates=["2026-03-02"], preferred_start="09:00")
    assert errors == {
        "dates": [
            "The start time 09:00 today has already passed. Choose a later time or another day."
        ]
    }


def test_a_start_time_later_today_is_accepted(session, contact, kind):
    task = post(session, contact, kind, dates=["2026-03-02"], preferred_start="12:00")
    assert [d.day for d in task.dates] == [date(2026, 3, 2)]


def test_first_date_in_the_past_is_refused(session, contact, kind):
    errors = errors_of(
        session, contact, kind, dates=[], recurrence="FREQ=WEEKLY;BYDAY=MO", first_date="2026-02-23"
    )
    assert errors == {"first_date": ["The date 23.2.2026 has already passed."]}


def test_badly_written_dates_are_refused(session, contact, kind):
    assert errors_of(session, contact, kind, dates=["10.3.2026"]) == {
        "dates": ["Enter each date as YYYY-MM-DD."]
    }
    assert errors_of(session, contact, kind, first_date="tomorrow") == {
        "first_date": ["Enter a date as YYYY-MM-DD."]
    }


def test_dates_far_ahead_are_refused(session, contact, kind):
    assert errors_of(session, contact, kind, dates=["2029-01-01"]) == {
        "dates": ["Choose a date within the next two years."]
    }


def test_the_same_date_twice_is_refused(session, contact, kind):
    assert errors_of(session, contact, kind, dates=["2026-03-10", "2026-03-10"]) == {
        "dates": ["The date 10.3.2026 is in the list twice."]
    }


def test_end_before_start_is_refused(session, contact, kind):
    errors = errors_of(
        session,
        contact,
        kind,
        dates=[],
        recurrence="FREQ=WEEKLY;BYDAY=MO",
        first_date="2026-04-10",
        last_date="2026-04-01",
    )
    assert errors == {"last_date": ["The last day cannot be before the first day."]}


def test_end_time_before_start_time_is_refused(session, contact, kind):
    assert errors_of(session, contact, kind, preferred_start="12:00", preferred_end="11:00") == {
        "preferred_end": ["The end time must be after the start time."]
    }


def test_the_shift_must_fit_between_the_preferred_times(session, contact, kind):
    assert errors_of(session, contact, kind, preferred_start="09:00", preferred_end="11:00") == {
        "preferred_end": ["A shift of 4 hours does not fit between the start and end times."]
    }


def test_a_shift_must_end_by_midnight(session, contact, kind):
    assert errors_of(session, contact, kind, preferred_start="21:00") == {
        "preferred_start": ["A shift must end by midnight."]
    }


def test_badly_written_times_are_refused(session, contact, kind):
    assert errors_of(session, contact, kind, preferred_start="9 am") == {
        "preferred_start": ["Enter a time as HH:MM, for example 09:00."]
    }


def test_a_public_holiday_must_be_asked_for_explicitly(session, contact, kind):
    errors = errors_of(session, contact, kind, dates=["2026-04-03"])  # Good Friday
    assert errors == {
        "dates": [
            "3.4.2026 is a public holiday. Choose another date, or say that the work is done "
            "on public holidays too."
        ]
    }
    task = post(session, contact, kind, dates=["2026-04-03"], include_public_holidays="on")
    assert task.include_public_holidays is True


def test_unparseable_repeat_is_refused(session, contact, kind):
    errors = errors_of(
        session, contact, kind, dates=[], recurrence="FREQ=DAILY", first_date="2026-03-09"
    )
    assert errors == {"recurrence": ["Only weekly repeats are possible."]}


def test_repeat_that_ends_before_it_starts_is_refused(session, contact, kind):
    errors = errors_of(
        session,
        contact,
        kind,
        dates=[],
        recurrence="FREQ=WEEKLY;BYDAY=MO;UNTIL=20260305",
        first_date="2026-03-09",
    )
    assert errors == {"recurrence": ["The repeat ends before the first day."]}


def test_repeat_that_falls_only_on_public_holidays_is_refused(session, contact, kind):
    # Midsummer Eve and Midsummer Day 2026 are Friday 19.6. and Saturday 20.6.
    errors = errors_of(
        session,
        contact,
        kind,
        dates=[],
        recurrence="FREQ=WEEKLY;BYDAY=FR,SA;COUNT=2",
        first_date="2026-06-19",
    )
    assert errors == {
        "recurrence": ["The repeat gives no working day between 19.6.2026 and 20.6.2026."]
    }


def test_dates_and_a_repeat_together_are_refused(session, contact, kind):
    errors = errors_of(
        session, contact, kind, recurrence="FREQ=WEEKLY;BYDAY=MO", first_date="2026-03-09"
    )
    assert errors == {"recurrence": ["Choose specific dates or a weekly repeat, not both."]}


def test_postal_code_and_phone_are_checked(session, contact, kind):
    errors = errors_of(session, contact, kind, site_postal_code="123", site_contact_phone="call me")
    assert errors == {
        "site_postal_code": ["A postal code has five digits, for example 00100."],
        "site_contact_phone": ["Check the phone number, for example +358 9 310 1234."],
    }


def test_every_problem_is_reported_at_once_and_nothing_is_stored(session, contact, kind):
    errors = errors_of(
        session, contact, kind, title="", headcount="0", dates=["2020-01-01"], task_kind_id="x"
    )
    assert set(errors) == {"title", "headcount", "dates", "task_kind_id"}
    assert task_count(session) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(TaskDate)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(TaskEvent)) == 0


def test_unknown_fields_are_a_programming_error(session, contact, kind):
    with pytest.raises(TypeError, match="status"):
        post(session, contact, kind, status="accepted")


# ---------------------------------------------------------------- who may post and edit


def test_a_contact_of_another_unit_cannot_post_for_a_unit(session, contact, kind):
    other = factories.make_unit_contact()
    with pytest.raises(lifecycle.NotAllowed):
        create_task(session, unit=contact.unit, actor=other, values=factories.task_values(kind))
    assert task_count(session) == 0


@pytest.mark.parametrize("maker", [factories.make_manager, factories.make_instructor])
def test_staff_other_than_admins_cannot_post_tasks(session, contact, kind, maker):
    made = maker()
    user = getattr(made, "user", made)
    with pytest.raises(lifecycle.NotAllowed):
        create_task(session, unit=contact.unit, actor=user, values=factories.task_values(kind))


def test_an_admin_can_post_for_any_unit(session, contact, kind):
    admin = factories.make_admin()
    task = create_task(session, unit=contact.unit, actor=admin, values=factories.task_values(kind))
    assert task.unit_id == contact.unit_id


def test_an_inactive_unit_cannot_post(session, contact, kind):
    contact.unit.is_active = False
    with pytest.raises(DomainError, match="can no longer order work"):
        post(session, contact, kind)


def test_update_changes_only_the_given_fields(session, contact, kind):
    task = post(session, contact, kind)
    change = update_task(session, task, actor=contact, values={"headcount": "4", "title": "Uusi"})
    assert change.changed == {"headcount", "title"}
    assert (task.headcount, task.title, task.shift_minutes) == (4, "Uusi", 240)


def test_invalid_update_changes_nothing(session, contact, kind):
    task = post(session, contact, kind)
    session.commit()
    with pytest.raises(ValidationFailed):
        update_task(session, task, actor=contact, values={"title": "Uusi", "headcount": "0"})
    session.rollback()
    assert session.get(Task, task.id).title == "Ikkunoiden pesu"


def test_update_replaces_the_dates(session, contact, kind):
    task = post(session, contact, kind, dates=["2026-03-10", "2026-03-11"])
    change = update_task(
        session, task, actor=contact, values={"dates": ["2026-03-11", "2026-03-13"]}
    )
    assert "dates" in change.changed
    assert [d.day for d in task.dates] == [date(2026, 3, 11), date(2026, 3, 13)]
    assert (task.first_date, task.last_date) == (date(2026, 3, 11), date(2026, 3, 13))


def test_a_date_already_passed_may_stay_when_the_task_is_edited(session, contact, kind):
    task = post(session, contact, kind, dates=["2026-03-03", "2026-03-10"], submit=True)
    with clock.frozen(datetime(2026, 3, 5, 8, 0, tzinfo=UTC)):
        update_task(
            session,
            task,
            actor=contact,
            values={"dates": ["2026-03-03", "2026-03-10", "2026-03-12"], "title": "Lisäpäivä"},
        )
        with pytest.raises(ValidationFailed) as exc:
            update_task(session, task, actor=contact, values={"dates": ["2026-03-04"]})
    assert exc.value.errors == {"dates": ["The date 4.3.2026 has already passed."]}
    assert len(task.dates) == 3


def test_a_contact_of_another_unit_cannot_edit_the_task(session, contact, kind):
    task = post(session, contact, kind)
    with pytest.raises(lifecycle.NotAllowed):
        update_task(session, task, actor=factories.make_unit_contact(), values={"title": "x"})


def test_a_finished_task_can_no_longer_be_changed(session, contact, kind):
    task = post(session, contact, kind)
    task.status = TaskStatus.CONFIRMED
    session.flush()
    with pytest.raises(DomainError, match="confirmed can no longer be changed"):
        update_task(session, task, actor=contact, values={"title": "x"})


def test_update_with_submit_resubmits_a_task_sent_back(session, contact, kind):
    task = post(session, contact, kind, submit=True)
    instructor = factories.make_instructor().user
    lifecycle.request_changes(session, task, instructor, "Kerro tarkempi osoite.")
    update_task(session, task, actor=contact, values={"site_address": "Kivikatu 3 B"}, submit=True)
    assert task.status == TaskStatus.SUBMITTED
    assert task.site_address == "Kivikatu 3 B"
    assert task.status_reason is None
