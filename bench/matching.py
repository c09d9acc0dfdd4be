"""Matching benchmark: ``python -m bench.matching [--sizes S,M,L] [--json] [--time-limit 60]``.

For each generated week (bench/generate.py: fixed seeds, realistic mix) it runs

* the time-ordered greedy (the spreadsheet baseline),
* the engine's fast tier alone (scarcity-first greedy + repair),
* the whole engine (greedy warm start → HiGHS lexicographic optimisation),

and prints filled slot-hours, the proven upper bound on slot-hours (the LP
relaxation, or branch-and-bound where it finishes), the gap to it, wall times, and
the hard-rule violations that the independent checker in tests/matching/checker.py
finds in each roster (must be 0). Ratios are computed within the same run, because
these machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the checker lives in the tests package
    sys.path.insert(0, str(ROOT))

from bench.generate import SIZES, generate  # noqa: E402
from jobcenter.matching.engine import greedy_baseline, solve  # noqa: E402
from tests.matching.checker import violations  # noqa: E402


def run_size(name: str, time_limit: float) -> dict:
    instance = generate(name)
    started = time.perf_counter()
    baseline = greedy_baseline(instance)
    baseline_seconds = time.perf_counter() - started

    fast = solve(instance, exact=False, explain=False)
    engine = solve(instance, time_limit=time_limit)
    stage = {s.name: s for s in engine.stages}
    slot_seconds = sum(stage[n].seconds for n in ("greedy", "model", "slot_minutes") if n in stage)
    bound = engine.upper_bound_minutes
    return {
        "size": name,
        "participants": len(instance.participants),
        "shifts": len(instance.shifts),
        "slots": sum(s.slots for s in instance.shifts),
        "locked": len(instance.locked),
        "candidate_pairs": engine.candidate_pairs,
        "baseline_slot_hours": baseline / 60,
        "baseline_seconds": round(baseline_seconds, 3),
        "greedy_slot_hours": fast.slot_minutes / 60,
        "greedy_seconds": round(fast.seconds, 3),
        "greedy_percent_of_bound": round(100 * fast.slot_minutes / bound, 2) if bound else 100.0,
        "engine_slot_hours": engine.slot_minutes / 60,
        "upper_bound_slot_hours": bound / 60,
        "gap_percent": round(engine.gap_percent, 3),
        "proven_optimal": engine.proven_optimal,
        "engine_vs_baseline_percent": round(100 * (engine.slot_minutes / baseline - 1), 1)
        if baseline
        else 0.0,
        "slot_hours_seconds": round(slot_seconds, 2),
        "engine_seconds": round(engine.seconds, 2),
        "stages": {
            s.name: {"status": s.status, "seconds": round(s.seconds, 2)} for s in engine.stages
        },
        "unfilled_shifts_explained": len(engine.unfilled),
        "violations_engine": len(violations(instance, engine.pairs())),
        "violations_greedy": len(violations(instance, fast.pairs())),
    }


COLUMNS = (
    ("size", "size", "{}"),
    ("participants", "people", "{}"),
    ("shifts", "shifts", "{}"),
    ("candidate_pairs", "pairs", "{}"),
    ("baseline_slot_hours", "time-ordered h", "{:.0f}"),
    ("greedy_slot_hours", "fast tier h", "{:.0f}"),
    ("greedy_seconds", "fast s", "{:.2f}"),
    ("greedy_percent_of_bound", "fast % bound", "{:.1f}"),
    ("engine_slot_hours", "engine h", "{:.0f}"),
    ("upper_bound_slot_hours", "bound h", "{:.0f}"),
    ("gap_percent", "gap %", "{:.2f}"),
    ("engine_vs_baseline_percent", "vs time-ordered %", "{:+.1f}"),
    ("slot_hours_seconds", "slot-h s", "{:.1f}"),
    ("engine_seconds", "total s", "{:.1f}"),
    ("violations_engine", "violations", "{}"),
)


def table(rows: list[dict]) -> str:
    cells = [[title for _k, title, _f in COLUMNS]]
    for row in rows:
        cells.append([fmt.format(row[key]) for key, _t, fmt in COLUMNS])
    widths = [max(len(r[i]) for r in cells) for i in range(len(COLUMNS))]
    lines = []
    for n, r in enumerate(cells):
        lines.append(" | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.matching", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated sizes (S, M, L)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per size")
    parser.add_argument("--time-limit", type=float, default=60.0, help="engine seconds per size")
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    rows = []
    for name in sizes:
        row = run_size(name, args.time_limit)
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
    if not args.json:
        print(table(rows))
        print()
        for row in rows:
            stages = ", ".join(
                f"{k} {v['status']} {v['seconds']} s" for k, v in row["stages"].items()
            )
            print(f"{row['size']}: {stages}; greedy-tier violations {row['violations_greedy']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
