"""Command line: ``python -m jobcenter.matching solve INSTANCE.json [--time-limit S]``
prints the solution as JSON; ``python -m jobcenter.matching example`` prints a small
example instance to start from. Exit status 2 for an invalid instance, with every
problem listed on standard error."""

from __future__ import annotations

import argparse
import json
import sys

from .instance_json import dumps, load, loads, solution_to_dict
from .model import InstanceError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jobcenter.matching",
        description="Jobcenter's matching engine: which participant works which shift.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    solve_cmd = sub.add_parser("solve", help="solve an instance and print the solution as JSON")
    solve_cmd.add_argument("instance", help="instance JSON file ('-' reads standard input)")
    solve_cmd.add_argument(
        "--time-limit", type=float, default=60.0, help="seconds for the whole run (default 60)"
    )
    solve_cmd.add_argument(
        "--greedy", action="store_true", help="only the fast greedy tier (no optimiser)"
    )
    sub.add_parser("example", help="print a small example instance")
    args = parser.parse_args(argv)

    if args.command == "example":
        from .example import example_instance

        print(dumps(example_instance()))
        return 0

    from .engine import solve

    if args.time_limit <= 0:
        parser.error("--time-limit must be positive")
    try:
        instance = loads(sys.stdin.read()) if args.instance == "-" else load(args.instance)
    except OSError as exc:
        print(f"error: cannot read {args.instance}: {exc.strerror}", file=sys.stderr)
        return 2
    except InstanceError as exc:
        print("error: invalid matching instance:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    solution = solve(instance, time_limit=args.time_limit, exact=not args.greedy)
    json.dump(solution_to_dict(solution), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
