"""``python -m jobcenter.matching``: example and solve from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jobcenter.matching.instance_json import loads

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jobcenter.matching", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_example_prints_an_instance_that_solve_accepts(tmp_path):
    example = run("example")
    assert example.returncode == 0
    loads(example.stdout)  # valid
    path = tmp_path / "week.json"
    path.write_text(example.stdout, encoding="utf-8")
    solved = run("solve", str(path), "--time-limit", "20")
    assert solved.returncode == 0, solved.stderr
    data = json.loads(solved.stdout)
    assert data["proven_optimal"] is True
    assert {
        "participant": "bertil",
        "shift": "mon-cleaning",
        "locked": True,
        "orientation": False,
    } in data["assignments"]
    assert data["unfilled"], "the example has open slots with reasons"


def test_solve_reads_standard_input_and_can_stop_at_the_greedy_tier():
    example = run("example").stdout
    solved = run("solve", "-", "--greedy", stdin=example)
    assert solved.returncode == 0, solved.stderr
    assert json.loads(solved.stdout)["tier"] == "greedy"


def test_an_invalid_instance_exits_2_and_lists_the_problems(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"week_start": "2026-05-11", "sites": [], "participants": [{}], "shifts": []}')
    result = run("solve", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "participants[0].id: is required" in result.stderr
    assert "participants[0].stream: is required" in result.stderr


def test_a_missing_file_is_reported_without_a_traceback(tmp_path):
    result = run("solve", str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.stderr
