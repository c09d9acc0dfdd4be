"""Explanations: why slots stay open, and why a person was not chosen."""

from __future__ import annotations

from jobcenter.matching.engine import solve
from jobcenter.matching.explain import explain_pair
from jobcenter.matching.model import LockedAssignment, ReasonCode
from tests.matching.builders import at, instance, person, shift


def _window_washing_tuesday():
    windows = shift(
        "windows",
        kind="window_washing",
        start=at(1, 10),
        end=at(1, 14),
        slots=3,
        required_skills=frozenset({"window_washing"}),
    )
    people = [
        person("skilled", max_minutes_per_week=240),
        person("busy", max_minutes_per_week=240),
        person("novice", skills=frozenset()),
        person("student", skills=frozenset()),
        person("monday_only", availability=person().availability[:1]),
    ]
    other = shift("other", start=at(0, 8), end=at(0, 12), slots=1)
    return instance(
        participants=people, shifts=[windows, other], locked=(LockedAssignment("busy", "other"),)
    )


def test_an_unfilled_slot_lists_each_binding_reason_with_its_count():
    inst = _window_washing_tuesday()
    solution = solve(inst)
    [explanation] = [u for u in solution.unfilled if u.shift == "windows"]
    assert explanation.unfilled_slots == 2
    counts = {r.code: r.count for r in explanation.reasons}
    assert counts == {
        ReasonCode.AVAILABILITY: 1,
        ReasonCode.SKILLS: 2,
        ReasonCode.WEEKLY_HOURS: 1,
    }
    assert "2 participants lack the skill 'window washing'" in explanation.message
    assert (
        "1 participant who could do it has reached the weekly hours allowed" in explanation.message
    )
    assert explanation.message.startswith("2 slots of 3 unfilled on Tuesday 28.4. 10:00–14:00")


def test_the_skills_reason_names_the_missing_skill_in_its_params():
    solution = solve(_window_washing_tuesday())
    [explanation] = [u for u in solution.unfilled if u.shift == "windows"]
    [skills] = [r for r in explanation.reasons if r.code == ReasonCode.SKILLS]
    assert skills.params == {"missing": ["window_washing"]}
    assert skills.as_dict()["code"] == "skills"


def test_a_shift_nobody_can_take_says_so():
    holiday = shift(start=at(4, 10), end=at(4, 12))
    solution = solve(instance(shifts=[holiday]))
    [explanation] = solution.unfilled
    assert [r.code for r in explanation.reasons] == [ReasonCode.HOLIDAY]
    assert "no participant can take it" in explanation.message
    assert "1.5.2026 is a public holiday" in explanation.message


def test_filled_shifts_have_no_explanation():
    solution = solve(instance())
    assert solution.unfilled == ()


def test_explain_pair_names_every_failed_rule():
    lacking = person(skills=frozenset(), avoided_kinds=frozenset({"window_washing"}))
    windows = shift(kind="window_washing", required_skills=frozenset({"window_washing"}))
    inst = instance(participants=[lacking], shifts=[windows])
    reasons = explain_pair(inst, solve(inst), "p1", "s1")
    assert [r.code for r in reasons] == [ReasonCode.SKILLS, ReasonCode.AVOIDED_KIND]
    assert reasons[0].message == "P1 lacks the skill 'window washing'"


def test_explain_pair_says_when_a_better_fitting_person_was_chosen():
    regular = person("regular")
    newcomer = person("newcomer")
    inst = instance(
        participants=[newcomer, regular],
        previous_assignees={"task-s1": frozenset({"regular"})},
    )
    solution = solve(inst)
    assert solution.pairs() == {("regular", "s1")}
    [reason] = explain_pair(inst, solution, "newcomer", "s1")
    assert reason.code == ReasonCode.BETTER_FIT_CHOSEN
    assert reason.params == {"chosen": ["regular"]}
    assert "REGULAR" in reason.message


def test_explain_pair_names_the_clashing_shift():
    shifts = [
        shift("long", start=at(0, 8), end=at(0, 14), task="a"),
        shift("short", start=at(0, 12), end=at(0, 14), task="b"),
    ]
    inst = instance(shifts=shifts)
    solution = solve(inst)
    assert solution.pairs() == {("p1", "long")}
    [reason] = explain_pair(inst, solution, "p1", "short")
    assert reason.code == ReasonCode.OVERLAP
    assert "(long)" in reason.message


def test_explain_pair_for_an_assigned_person_says_so():
    inst = instance()
    solution = solve(inst)
    [reason] = explain_pair(inst, solution, "p1", "s1")
    assert reason.code == ReasonCode.ASSIGNED


def test_explain_pair_reports_limits_with_the_numbers():
    shifts = [shift("a", task="a"), shift("b", start=at(1, 10), end=at(1, 14), task="b")]
    inst = instance(participants=[person(max_minutes_per_week=300)], shifts=shifts)
    solution = solve(inst)
    [(_, taken)] = solution.pairs()
    missed = "b" if taken == "a" else "a"
    [reason] = explain_pair(inst, solution, "p1", missed)
    assert reason.code == ReasonCode.WEEKLY_HOURS
    assert reason.message == "P1 already has 4 h this week and the limit is 5 h"
    assert reason.params == {"limit_minutes": 300, "planned_minutes": 240}
