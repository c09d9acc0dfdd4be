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
import dataclasses
import json
import os
import statistics
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
    load_before = _load()
    cpu = time.process_time()
    engine = solve(instance, time_limit=time_limit)
    cpu = time.process_time() - cpu
    stage = {s.name: s for s in engine.stages}
    slot_seconds = sum(stage[n].seconds for n in SLOT_STAGES if n in stage)
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
        # CPU seconds this process got during the run: on a busy machine the wall
        # time above is several times this, and every stage got less work done.
        "engine_cpu_seconds": round(cpu, 2),
        "load_average": [load_before, _load()],
        "whole_objective_seconds": round(
            sum(st.seconds for st in engine.stages if st.name != "greedy"), 2
        ),
        "slot_hours_cpu_seconds": round(
            sum(st.cpu_seconds for st in engine.stages if st.name in SLOT_STAGES), 2
        ),
        "stages": {s.name: _stage_row(s) for s in engine.stages},
        "unfilled_shifts_explained": len(engine.unfilled),
        "violations_engine": len(violations(instance, engine.pairs())),
        "violations_greedy": len(violations(instance, fast.pairs())),
    }


def run_seed(name: str, k: int, time_limit: float) -> dict:
    """Another week of the same size and mix: slot-hours only."""
    size = dataclasses.replace(SIZES[name], seed=SIZES[name].seed + 1000 * k)
    instance = generate(size)
    baseline = greedy_baseline(instance)
    engine = solve(instance, time_limit=time_limit, explain=False)
    bound = engine.upper_bound_minutes
    return {
        "size": name,
        "seed": size.seed,
        "baseline_slot_hours": baseline / 60,
        "engine_slot_hours": engine.slot_minutes / 60,
        "upper_bound_slot_hours": bound / 60,
        "proven_optimal": engine.proven_optimal,
        "engine_percent_of_bound": round(100 * engine.slot_minutes / bound, 2) if bound else 100.0,
        "engine_vs_baseline_percent": round(100 * (engine.slot_minutes / baseline - 1), 1)
        if baseline
        else 0.0,
        "violations_engine": len(violations(instance, engine.pairs())),
    }


def seed_lines(rows: list[dict], seed_rows: list[dict]) -> list[str]:
    lines = ["Other weeks of the same mix (slot-hours; the first seed is the table's week):"]
    for name in dict.fromkeys(r["size"] for r in seed_rows):
        main = [r for r in rows if r["size"] == name]
        mine = [r for r in seed_rows if r["size"] == name]
        gains = [r["engine_vs_baseline_percent"] for r in main + mine]
        percents = [r["engine_percent_of_bound"] for r in mine]
        for r in mine:
            quality = (
                "proven optimal"
                if r["proven_optimal"]
                else f"{r['engine_percent_of_bound']:.2f} % of the bound"
            )
            lines.append(
                f"  {name} seed {r['seed']:>5}: time-ordered {r['baseline_slot_hours']:.0f} h, "
                f"engine {r['engine_slot_hours']:.0f} h ({quality}), "
                f"{r['engine_vs_baseline_percent']:+.1f} % over time-ordered, "
                f"violations {r['violations_engine']}"
            )
        lines.append(
            f"  {name}: {len(gains)} weeks, engine over time-ordered min {min(gains):+.1f} %, "
            f"median {statistics.median(gains):+.1f} %, max {max(gains):+.1f} %; "
            f"engine ≥ {min(percents, default=100):.2f} % of the bound on the other weeks"
        )
    return lines


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 1)
    except OSError:  # pragma: no cover - platforms without it
        return None


def _stage_row(stage) -> dict:
    row = {
        "status": stage.status,
        "seconds": round(stage.seconds, 2),
        "cpu_seconds": round(stage.cpu_seconds, 2),
        "value": stage.value,
    }
    if stage.name in OBJECTIVE_STAGES:
        row["bound"] = stage.bound
        row["gap_percent"] = (
            round(100 * (stage.bound - stage.value) / abs(stage.bound), 3) if stage.bound else None
        )
    return row


SLOT_STAGES = ("greedy", "model", "slot_minutes")
OBJECTIVE_STAGES = ("slot_minutes", "fairness", "continuity_preferences_travel")

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


GAP_GOAL = 0.5  # percent of the proven bound that counts as "optimal" (issue 4)


def _stage_done(st: dict) -> bool:
    return st["status"] == "optimal" or (
        st.get("gap_percent") is not None and st["gap_percent"] <= GAP_GOAL
    )


def goal_lines(rows: list[dict]) -> list[str]:
    """Each goal of issue 4 item 9, met or not, with the figures behind it."""

    def verdict(ok: bool) -> str:
        return "MET    " if ok else "NOT MET"

    lines = [
        "Goals (issue 4, 2 cores; times are wall-clock, and CPU seconds of this "
        "single-threaded run are given where the machine was shared):"
    ]
    fast_ok = all(r["greedy_seconds"] <= 1 and r["greedy_percent_of_bound"] >= 96 for r in rows)
    lines.append(
        f"  {verdict(fast_ok)} answer within 1 s at ≥ 96 % of the optimum: "
        + ", ".join(
            f"{r['size']} {r['greedy_percent_of_bound']:.1f} % of the bound in "
            f"{r['greedy_seconds']:.2f} s"
            for r in rows
        )
    )
    for r in rows:
        if r["size"] != "L":
            continue
        slot = r["stages"].get("slot_minutes", {})
        ok = r["slot_hours_seconds"] <= 20 and (r["proven_optimal"] or r["gap_percent"] <= GAP_GOAL)
        how = "proven optimal" if r["proven_optimal"] else f"{r['gap_percent']:.2f} % below"
        lines.append(
            f"  {verdict(ok)} L slot-hours proven optimal or within {GAP_GOAL} % of the proven "
            f"bound in ≤ 20 s: {r['engine_slot_hours']:.0f} h, bound "
            f"{r['upper_bound_slot_hours']:.0f} h ({how}), {r['slot_hours_seconds']:.1f} s wall, "
            f"{r['slot_hours_cpu_seconds']:.1f} s CPU ({slot.get('status', '-')})"
        )
        later = [(n, r["stages"][n]) for n in OBJECTIVE_STAGES[1:] if n in r["stages"]]
        ok = r["whole_objective_seconds"] <= 60 and all(_stage_done(st) for _n, st in later)
        detail = "; ".join(
            f"{n} {st['status']}, gap "
            + ("unknown" if st.get("gap_percent") is None else f"{st['gap_percent']:.2f} %")
            for n, st in later
        )
        lines.append(
            f"  {verdict(ok)} L whole objective (each stage optimal or within {GAP_GOAL} % of "
            f"its proven bound) in ≤ 60 s: {r['whole_objective_seconds']:.1f} s wall, "
            f"{r['engine_cpu_seconds']:.1f} s CPU; {detail}"
        )
    vs_ok = all(r["engine_vs_baseline_percent"] >= 10 for r in rows)
    lines.append(
        f"  {verdict(vs_ok)} ≥ 10 % more slot-hours than the time-ordered greedy: "
        + ", ".join(f"{r['size']} {r['engine_vs_baseline_percent']:+.1f} %" for r in rows)
    )
    bad = sum(r["violations_engine"] + r["violations_greedy"] for r in rows)
    lines.append(f"  {verdict(bad == 0)} 0 violations (independent checker): {bad}")
    return lines


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
    parser.add_argument(
        "--seeds", type=int, default=1, help="weeks per size (the fixed week and N - 1 more)"
    )
    parser.add_argument(
        "--seed-time-limit", type=float, default=20.0, help="engine seconds per extra week"
    )
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    rows = []
    seed_rows = []
    for name in sizes:
        row = run_size(name, args.time_limit)
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
        for k in range(1, max(1, args.seeds)):
            extra = run_seed(name, k, args.seed_time_limit)
            seed_rows.append(extra)
            if args.json:
                print(json.dumps(extra), flush=True)
    if not args.json:
        print(table(rows))
        print()
        for row in rows:
            print(f"{row['size']} stages (wall s, CPU s, status, value, proven bound, gap %):")
            for name, st in row["stages"].items():
                line = (
                    f"  {name:<31} {st['seconds']:>6.2f} s {st['cpu_seconds']:>6.2f} s  "
                    f"{st['status']:<10}"
                )
                if "bound" in st:
                    bound = "-" if st["bound"] is None else f"{st['bound']:.0f}"
                    gap = "-" if st["gap_percent"] is None else f"{st['gap_percent']:.3f}"
                    line += f" {st['value']:>12.0f} {bound:>12} {gap:>8}"
                print(line)
            print(
                f"  engine {row['engine_seconds']} s wall, {row['engine_cpu_seconds']} s CPU, "
                f"load average {row['load_average'][0]} → {row['load_average'][1]} "
                f"(2 cores); greedy-tier violations {row['violations_greedy']}"
            )
        if seed_rows:
            print()
            print("\n".join(seed_lines(rows, seed_rows)))
        print()
        print("\n".join(goal_lines(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
