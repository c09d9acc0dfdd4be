"""The documented JSON instance format: round trip and clear validation errors."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings

from jobcenter.matching.engine import solve
from jobcenter.matching.example import example_instance
from jobcenter.matching.instance_json import dumps, from_dict, loads, solution_to_dict, to_dict
from jobcenter.matching.model import InstanceError, LockedAssignment
from tests.matching.strategies import instances


@settings(
    max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(instances())
def test_an_instance_survives_a_json_round_trip(instance):
    assert loads(dumps(instance)) == instance


def test_the_example_instance_survives_a_json_round_trip():
    assert loads(dumps(example_instance())) == example_instance()


def _broken(mutate) -> list[str]:
    data = to_dict(example_instance())
    mutate(data)
    with pytest.raises(InstanceError) as caught:
        from_dict(data)
    return caught.value.problems


def test_a_missing_field_is_named_with_its_place():
    problems = _broken(lambda d: d["shifts"][2].pop("slots"))
    assert problems == ["shifts[2].slots: is required"]


def test_a_malformed_time_says_what_was_expected():
    def mutate(d):
        d["participants"][0]["availability"][0]["start"] = "25:00"

    assert _broken(mutate) == [
        "participants[0].availability[0].start: expected a time HH:MM, got '25:00'"
    ]


def test_unknown_references_are_reported():
    def mutate(d):
        d["shifts"][0]["site"] = "nowhere"
        d["locked"].append({"participant": "ghost", "shift": "mon-windows"})

    problems = _broken(mutate)
    assert "shifts[0].site: unknown site 'nowhere'" in problems
    assert "locked[1].participant: unknown participant 'ghost'" in problems


def test_every_problem_is_listed_at_once():
    def mutate(d):
        d["week_start"] = "2026-05-12"
        d["participants"][1]["stream"] = "other"
        d["shifts"][1]["end"] = d["shifts"][1]["start"]

    problems = _broken(mutate)
    assert (
        "participants[1].stream: expected 'rehabilitative' or 'disability', got 'other'" in problems
    )
    # Structural checks run once the fields parse: fix the stream and see the rest.

    def mutate_structure(d):
        d["week_start"] = "2026-05-12"
        d["shifts"][1]["end"] = d["shifts"][1]["start"]

    problems = _broken(mutate_structure)
    assert "week_start: 2026-05-12 is not a Monday" in problems
    assert "shifts[1]: end must be after start" in problems


def test_time_zones_are_refused_because_times_are_local():
    def mutate(d):
        d["shifts"][0]["start"] = "2026-05-11T10:00+03:00"

    [problem] = _broken(mutate)
    assert problem.startswith("shifts[0].start: expected a local date-time")


def test_text_that_is_not_json_is_refused_clearly():
    with pytest.raises(InstanceError) as caught:
        loads("{not json")
    assert caught.value.problems[0].startswith("not valid JSON:")


def test_the_solution_serialises_to_json():
    solution = solve(example_instance())
    data = json.loads(json.dumps(solution_to_dict(solution)))
    assert data["slot_minutes"] == solution.slot_minutes
    assert {(a["participant"], a["shift"]) for a in data["assignments"]} == solution.pairs()
    assert all({"code", "message"} <= set(r) for u in data["unfilled"] for r in u["reasons"])


def test_solution_warnings_serialise_with_code_params_and_text():
    base = example_instance()
    first = sorted(base.shifts, key=lambda s: s.id)[0]
    people = sorted(base.participants, key=lambda p: p.id)[: first.slots + 1]
    locked = tuple(LockedAssignment(p.id, first.id) for p in people)
    data = json.loads(json.dumps(solution_to_dict(solve(replace(base, locked=locked)))))
    assert {
        "code": "locked_over_slots",
        "params": {"shift": first.id, "locked": first.slots + 1, "slots": first.slots},
        "text": f"shift {first.id}: {first.slots + 1} locked assignments for {first.slots} slots",
    } in data["warnings"]
