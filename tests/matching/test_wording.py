"""The engine's reasons and warnings as sentences (jobcenter.matching.wording): every
code has wording, in every language the placeholders are filled, and the engine's
English text is never what the reader sees for a known code."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_babel import force_locale

from jobcenter.core import clock
from jobcenter.matching import wording
from jobcenter.matching.model import NoticeCode, Reason, ReasonCode

LOCALES = ("fi", "sv", "en")
ENGINE_TEXT = "ENGINE ENGLISH"

# Params as the engine produces them (rules.py, explain.py).
PARAMS: dict[str, dict] = {
    ReasonCode.PLAN_DATES: {"plan_start": "2026-01-01", "plan_end": "2026-03-01"},
    ReasonCode.HOLIDAY: {"date": "2026-03-10"},
    ReasonCode.DAY_AWAY: {"date": "2026-03-10"},
    ReasonCode.AVAILABILITY: {},
    ReasonCode.SKILLS: {"missing": ["window_washing", "ladders"]},
    ReasonCode.AVOIDED_KIND: {"kind": "cleaning"},
    ReasonCode.SUPERVISION: {"level": 2},
    ReasonCode.ORIENTATION: {"new_kind": True, "new_site": False},
    ReasonCode.OVERLAP: {"shifts": ["17"]},
    ReasonCode.DAILY_HOURS: {"planned_minutes": 270, "limit_minutes": 360},
    ReasonCode.DAYS_PER_WEEK: {"planned_days": 3, "limit_days": 3},
    ReasonCode.WEEKLY_HOURS: {"planned_minutes": 1800, "limit_minutes": 1920},
    ReasonCode.EARNINGS_CEILING: {"month": "2026-03"},
    ReasonCode.INSTRUCTOR_CAPACITY: {"needed": 3, "capacity": 3},
    ReasonCode.SLOTS_FULL: {"slots": 2},
    ReasonCode.BETTER_FIT_CHOSEN: {"chosen": ["4", "5"]},
    ReasonCode.ASSIGNED: {},
    ReasonCode.LOCKED: {},
    ReasonCode.COULD_BE_ADDED: {},
}

NAMES = wording.Names(
    skill={"window_washing": "Window washing", "ladders": "Ladder work"}.get,
    shift={"17": "Tue 10.3. 09:00–13:00 Library windows"}.get,
    instructor={"3": "Anna Ohjaaja"}.get,
)

SHIFT = wording.ShiftWords(
    starts_at=datetime(2026, 3, 10, 9, 0, tzinfo=clock.HELSINKI),
    ends_at=datetime(2026, 3, 10, 13, 0, tzinfo=clock.HELSINKI),
    kind="Cleaning",
    has_instructor=False,
    holiday_work_allowed=True,
)


@pytest.fixture
def request_context(app):
    with app.test_request_context("/"):
        yield


def _assert_sentence(text: str) -> None:
    assert text
    assert "%(" not in text
    assert ")s" not in text
    assert ")d" not in text
    assert ENGINE_TEXT not in text
    assert "None" not in text


def test_every_reason_code_has_wording_for_one_person_and_for_open_slots():
    codes = set(ReasonCode)
    assert codes <= set(wording.PAIR)
    assert codes <= set(wording.UNFILLED)
    assert codes == set(PARAMS)


def test_every_warning_code_has_wording():
    assert set(NoticeCode) <= set(wording.WARNINGS)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("code", list(ReasonCode))
def test_pair_reason_is_a_whole_sentence_about_the_person(request_context, locale, code):
    reason = Reason(code, ENGINE_TEXT, None, PARAMS[code])
    with force_locale(locale):
        text = wording.pair_reason(reason, "Aino Virtanen", SHIFT, NAMES)
    _assert_sentence(text)
    if code not in (ReasonCode.SLOTS_FULL,):
        assert "Aino Virtanen" in text or code is ReasonCode.HOLIDAY


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("code", list(ReasonCode))
def test_unfilled_reason_from_the_stored_json_counts_the_people(request_context, locale, code):
    stored = {"code": str(code), "message": ENGINE_TEXT, "count": 3, "params": PARAMS[code]}
    with force_locale(locale):
        text = wording.unfilled_reason(stored, SHIFT, NAMES)
    _assert_sentence(text)
    if code not in (ReasonCode.SLOTS_FULL,):
        assert "3" in text


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (ReasonCode.DAY_AWAY, "Aino Virtanen is away on Tuesday, March 10."),
        (ReasonCode.SKILLS, "Aino Virtanen lacks the skills “Window washing”, “Ladder work”."),
        (
            ReasonCode.DAILY_HOURS,
            "Aino Virtanen already has 4.5 h that day, and the limit is 6 h.",
        ),
        (
            ReasonCode.OVERLAP,
            "Aino Virtanen has another shift at that time, or too close to it to get there: "
            "Tue 10.3. 09:00–13:00 Library windows.",
        ),
        (
            ReasonCode.EARNINGS_CEILING,
            "The pay for this shift would take Aino Virtanen over their earnings ceiling "
            "for March 2026.",
        ),
        (ReasonCode.AVAILABILITY, "Aino Virtanen is not available on Tuesday, March 10 at "),
    ],
)
def test_pair_reasons_in_english_use_the_params_and_names(request_context, code, expected):
    reason = Reason(code, ENGINE_TEXT, None, PARAMS[code])
    with force_locale("en"):
        text = wording.pair_reason(reason, "Aino Virtanen", SHIFT, NAMES)
    assert text.startswith(expected)


def test_unfilled_skill_reason_names_the_skill_and_the_number(request_context):
    stored = {"code": "skills", "count": 1, "params": {"missing": ["window_washing"]}}
    with force_locale("en"):
        assert wording.unfilled_reason(stored, SHIFT, NAMES) == (
            "1 participant lacks the skill “Window washing”."
        )
        stored["count"] = 2
        assert wording.unfilled_reason(stored, SHIFT, NAMES) == (
            "2 participants lack the skill “Window washing”."
        )


def test_holiday_without_holiday_work_says_the_task_is_not_done(request_context):
    shift = wording.ShiftWords(SHIFT.starts_at, SHIFT.ends_at, "Cleaning", False, False)
    reason = Reason(ReasonCode.HOLIDAY, ENGINE_TEXT, None, PARAMS[ReasonCode.HOLIDAY])
    with force_locale("en"):
        text = wording.pair_reason(reason, "Aino", shift, NAMES)
    assert text == "Tuesday, March 10 is a public holiday, and this task is not done on holidays."


def test_board_only_reasons_have_wording(request_context):
    with force_locale("en"):
        no_plan = wording.pair_reason(
            {"code": wording.NO_PLAN_THIS_WEEK}, "Aino Virtanen", SHIFT, NAMES
        )
        not_open = wording.pair_reason({"code": wording.SHIFT_NOT_OPEN}, "Aino", SHIFT, NAMES)
    assert no_plan == "Aino Virtanen has no plan in force this week."
    _assert_sentence(not_open)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "notice",
    [
        {"code": "locked_over_slots", "params": {"shift": "17", "locked": 3, "slots": 2}},
        {"code": "instructor_double_booked", "params": {"shift": "17", "instructor": "3"}},
        {"code": "self_check_dropped", "params": {"dropped": 1}},
    ],
)
def test_structured_warnings_are_translated_from_their_code(request_context, locale, notice):
    with force_locale(locale):
        text = wording.warning(notice | {"text": ENGINE_TEXT}, NAMES)
    _assert_sentence(text)


def test_warning_names_the_shift_and_the_instructor(request_context):
    notice = {"code": "instructor_double_booked", "params": {"shift": "17", "instructor": "3"}}
    with force_locale("en"):
        text = wording.warning(notice, NAMES)
    assert text.startswith("Anna Ohjaaja is also on a shift at another site at the same time or")
    assert "Tue 10.3. 09:00–13:00 Library windows counts as having no instructor" in text


def test_an_old_plain_warning_is_shown_as_it_is(request_context):
    assert wording.warning("Shift 4 has 3 locked assignments but 2 slots") == (
        "Shift 4 has 3 locked assignments but 2 slots"
    )


def test_an_unknown_warning_code_falls_back_to_its_english_text(request_context):
    assert wording.warning({"code": "new_kind", "params": {}, "text": "Something new"}) == (
        "Something new"
    )
