"""Web benchmark: ``python -m bench.web [--requests 200] [--concurrency 4] [--json]``.

Measures the manager's dashboard and the year-long hour report on the Helsinki-scale
dataset (QUALITY.md) in PostgreSQL, served by gunicorn (2 sync workers) on 127.0.0.1,
under a bounded load: a fixed number of requests per endpoint from a fixed number of
concurrent clients, the endpoints taking turns in rounds so that they all see the same
machine. Each row is printed beside the same server's bare endpoint (`/healthz`, one
`SELECT 1`) measured in the same rounds, as ratios, because these machines are noisy.

The load (``--load``): ``mixed`` (default, as QUALITY.md asks) has every client go round
the four journeys' pages from its own starting point — the manager's dashboard and hour
reports, a unit contact's task list (``unit_tasks``), an instructor's home
(``instr_home``), a participant's shifts (``my_shifts``) and the bare endpoint — so the
requests in flight at once are of different kinds; ``per-endpoint`` puts all clients on
one endpoint at a time (the worst case for that endpoint, e.g. four managers opening the
year dashboard at the same moment).

Endpoints of the manager (all for the last twelve months up to today):

* ``dashboard``  – ``GET /dashboard?from=…&to=…`` signed in as the demo's manager;
* ``hours_year`` – ``GET /api/v1/reports/totals?by=month&from=…&to=…`` (bearer token);
* ``hours_unit`` – the same report ``by=unit``;
* ``healthz``    – the bare endpoint.

Each configuration is run with the dashboard's figures cache off
(``DASHBOARD_CACHE_SECONDS=0``: every request adds up the daily and monthly summaries
of the ledger, ``jobcenter.dashboard.summaries``, and renders every table) and on (the
production default, 60 s: the figures are computed once per worker and range, then
reused while no hour, attendance or feedback row is added). The goal (issue 7): p95 ≤
300 ms with the cache OFF. Before measuring, stale summary days (e.g. right after the
migration that adds them) are rebuilt, as the first reader would.

The dataset: create a database and fill it once, e.g.::

    createdb -h 127.0.0.1 -p 54329 -U postgres jc_dash_bench
    DATABASE_URL=postgresql://postgres@127.0.0.1:54329/jc_dash_bench flask db upgrade
    DATABASE_URL=postgresql://postgres@127.0.0.1:54329/jc_dash_bench \\
        flask jobcenter demo --size helsinki

or pass ``--generate`` to do the last two steps here.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:54329/jc_dash_bench"
DEMO_PASSWORD = "jobcenter-demo"  # jobcenter.demo.common.DEFAULT_PASSWORD
GOAL_P95_MS = 300.0
GOAL_ENDPOINTS = ("dashboard", "hours_year", "hours_unit")  # issue 7's goal is for these


# ---------------------------------------------------------------- the dataset


def _app(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    from jobcenter import create_app

    return create_app()


def prepare(database_url: str, generate: bool) -> dict[str, str]:
    """The manager's e-mail and a fresh API token; checks the data is Helsinki-sized."""
    env = os.environ | {"DATABASE_URL": database_url}
    if generate:
        flask = str(VENV_BIN / "flask")
        subprocess.run([flask, "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [flask, "--app", "wsgi", "jobcenter", "demo", "--size", "helsinki"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    import sqlalchemy as sa

    app = _app(database_url)
    with app.app_context():
        from jobcenter.accounts.models import User
        from jobcenter.accounts.operations import create_api_token
        from jobcenter.core.enums import Role
        from jobcenter.extensions import db
        from jobcenter.hours.models import HourEntry
        from jobcenter.scheduling.models import Assignment, Shift

        counts = {
            "shifts": db.session.scalar(sa.select(sa.func.count()).select_from(Shift)),
            "assignments": db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)),
            "hour_entries": db.session.scalar(sa.select(sa.func.count()).select_from(HourEntry)),
        }
        if counts["shifts"] < 100_000:
            sys.exit(
                f"bench.web needs the Helsinki-scale dataset; {database_url} has "
                f"{counts['shifts']} shifts. Run with --generate (see the module docstring)."
            )
        manager = db.session.scalars(
            sa.select(User)
            .where(User.role == Role.MANAGER, User.email.like("%helsinki-demo%"))
            .order_by(User.id)
        ).first()
        if manager is None:
            sys.exit("No demo manager found: generate the Helsinki demo first.")
        people = {}
        for role in (Role.UNIT_CONTACT, Role.INSTRUCTOR, Role.PARTICIPANT):
            person = db.session.scalars(
                sa.select(User)
                .where(User.role == role, User.email.like("%helsinki-demo%"))
                .where(User.is_active_account)
                .order_by(User.id)
            ).first()
            if person is None:
                sys.exit(f"No demo {role.value} found: generate the Helsinki demo first.")
            people[f"{role.value}_email"] = person.email
        _row, token = create_api_token(db.session, manager, name="bench.web")
        db.session.commit()
        from jobcenter.dashboard.summaries import ensure_fresh

        counts["summary_days_rebuilt"] = ensure_fresh(db.session)
        db.session.commit()
        return (
            {"email": manager.email, "token": token}
            | people
            | {k: str(v) for k, v in counts.items()}
        )


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, database_url: str, workers: int, cache_seconds: int) -> None:
        self.port = free_port()
        env = os.environ | {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-web-" + str(self.port),
            "SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
            "DASHBOARD_CACHE_SECONDS": str(cache_seconds),
            "MAIL_SEND_AFTER_REQUEST": "0",
            "LOGIN_RATE_LIMIT": "100 per minute",
        }
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body, _headers = request(self.port, "/healthz")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def request(
    port: int,
    path: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: str | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes, http.client.HTTPMessage]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), response.headers
    finally:
        if own:
            conn.close()


def sign_in(port: int, email: str) -> str:
    """Sign in through the real form; returns the session cookie header."""
    status, body, headers = request(port, "/login")
    cookie = _cookie(headers)
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body) or re.search(
        rb'name="csrf_token" value="([^"]+)"', body
    )
    if status != 200 or token is None:
        raise RuntimeError("could not read the sign-in form")
    form = urllib.parse.urlencode(
        {"csrf_token": token.group(1).decode(), "email": email, "password": DEMO_PASSWORD}
    )
    status, _body, headers = request(
        port,
        "/login",
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        "POST",
        form,
    )
    signed_in = _cookie(headers) or cookie
    if status not in (302, 303):
        raise RuntimeError(f"sign-in failed with {status}")
    return signed_in


def _cookie(headers: http.client.HTTPMessage) -> str:
    values = headers.get_all("Set-Cookie") or []
    return "; ".join(v.split(";", 1)[0] for v in values)


# ---------------------------------------------------------------- load


@dataclass
class Endpoint:
    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0


def run_batch(port: int, endpoint: Endpoint, count: int, concurrency: int) -> None:
    """`count` requests to one endpoint from `concurrency` clients (keep-alive)."""
    endpoint.wall += run_mix(port, [endpoint], count, concurrency)


def run_mix(port: int, endpoints: list[Endpoint], total: int, concurrency: int) -> float:
    """`total` requests from `concurrency` clients, each going round the journeys' pages
    from its own starting point, so the requests in flight at once are of different
    kinds, as when units, instructors, participants and managers use it together.
    Returns the wall time."""
    lock = threading.Lock()
    remaining = [total]

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        k = offset
        try:
            while True:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                endpoint = endpoints[k % len(endpoints)]
                k += 1
                started = time.perf_counter()
                try:
                    status, _body, _h = request(port, endpoint.path, endpoint.headers, conn=conn)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                    status = 0
                elapsed = time.perf_counter() - started
                with lock:
                    if status == 200:
                        endpoint.times.append(elapsed)
                    else:
                        endpoint.errors += 1
        finally:
            conn.close()

    started = time.perf_counter()
    step = max(1, len(endpoints) // max(1, concurrency))
    threads = [threading.Thread(target=client, args=(i * step,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(
    port: int,
    endpoints: list[Endpoint],
    requests_each: int,
    concurrency: int,
    rounds: int,
    progress: Callable[[str], None],
    mixed: bool = True,
) -> None:
    # Warm-up: one request each (connections, imports, first cache fill), not measured.
    for endpoint in endpoints:
        request(port, endpoint.path, endpoint.headers)
    per_round = max(1, requests_each // rounds)
    for r in range(rounds):
        if mixed:
            run_mix(port, endpoints, per_round * len(endpoints), concurrency)
        else:
            for endpoint in endpoints:
                run_batch(port, endpoint, per_round, concurrency)
        progress(f"  round {r + 1}/{rounds} done")


def _rate(e: Endpoint, concurrency: int) -> float:
    """Requests per second: measured for an endpoint run on its own; in a mixed load,
    what the clients would get at this endpoint's mean latency (clients ÷ mean)."""
    if e.wall:
        return len(e.times) / e.wall
    return concurrency / statistics.fmean(e.times) if e.times else float("nan")


def rows_for(endpoints: list[Endpoint], label: str, concurrency: int) -> list[dict]:
    bare = next(e for e in endpoints if e.name == "healthz")
    bare_p95 = percentile(bare.times, 95)
    bare_rate = _rate(bare, concurrency)
    rows = []
    for e in endpoints:
        rate = _rate(e, concurrency)
        p95 = percentile(e.times, 95) * 1000
        rows.append(
            {
                "cache": label,
                "endpoint": e.name,
                "requests": len(e.times),
                "errors": e.errors,
                "p50_ms": round(percentile(e.times, 50) * 1000, 1),
                "p95_ms": round(p95, 1),
                "p99_ms": round(percentile(e.times, 99) * 1000, 1),
                "mean_ms": round(statistics.fmean(e.times) * 1000, 1) if e.times else None,
                "req_per_s": round(rate, 1),
                "p95_vs_healthz": round(p95 / (bare_p95 * 1000), 1) if bare_p95 else None,
                "throughput_vs_healthz": round(rate / bare_rate, 3) if bare_rate else None,
                "goal_met": (p95 <= GOAL_P95_MS) if e.name in GOAL_ENDPOINTS else None,
            }
        )
    return rows


def print_table(rows: list[dict]) -> None:
    head = (
        f"{'cache':<6} {'endpoint':<11} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'req/s':>7} {'p95/bare':>9} {'thru/bare':>10}  goal p95≤300"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        goal = "" if r["goal_met"] is None else ("yes" if r["goal_met"] else "NO")
        print(
            f"{r['cache']:<6} {r['endpoint']:<11} {r['requests']:>5} {r['errors']:>4} "
            f"{r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f} "
            f"{r['req_per_s']:>7.1f} {r['p95_vs_healthz']:>9} {r['throughput_vs_healthz']:>10}  "
            f"{goal}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cache", choices=("off", "on", "both"), default="both")
    parser.add_argument(
        "--load",
        choices=("mixed", "per-endpoint"),
        default="mixed",
        help="mixed: every client goes round the four journeys' pages (QUALITY.md); "
        "per-endpoint: all clients on one endpoint at a time (the worst case for it)",
    )
    parser.add_argument("--generate", action="store_true", help="fill the database first")
    parser.add_argument("--json", action="store_true", help="print rows as JSON")
    args = parser.parse_args(argv)

    def progress(message: str) -> None:
        if not args.json:
            print(message, file=sys.stderr, flush=True)

    info = prepare(args.database_url, args.generate)
    from jobcenter.core import clock

    today = clock.today()
    first = today.replace(year=today.year - 1) + timedelta(days=1)
    year = f"from={first.isoformat()}&to={today.isoformat()}"
    progress(
        f"dataset: {info['shifts']} shifts, {info['assignments']} assignments, "
        f"{info['hour_entries']} hour entries ({info['summary_days_rebuilt']} stale summary "
        f"days rebuilt first); period {year}; {args.workers} gunicorn "
        f"workers, {args.concurrency} clients, {args.requests} requests per endpoint; "
        f"cpus: {os.cpu_count()}"
    )
    all_rows: list[dict] = []
    settings = {"off": [("off", 0)], "on": [("on", 60)], "both": [("off", 0), ("on", 60)]}
    for label, seconds in settings[args.cache]:
        progress(f"cache {label}: starting gunicorn")
        server = Server(args.database_url, args.workers, seconds)
        try:
            cookie = sign_in(server.port, info["email"])
            bearer = {"Authorization": f"Bearer {info['token']}"}
            endpoints = [
                Endpoint("healthz", "/healthz"),
                Endpoint("dashboard", f"/dashboard?{year}&lang=en", {"Cookie": cookie}),
                Endpoint("hours_year", f"/api/v1/reports/totals?by=month&{year}", bearer),
                Endpoint("hours_unit", f"/api/v1/reports/totals?by=unit&{year}", bearer),
            ]
            if args.load == "mixed":  # the other journeys' everyday pages
                journeys = (
                    ("unit_tasks", "unit_contact", "/tasks"),
                    ("instr_home", "instructor", "/home"),
                    ("my_shifts", "participant", "/my/shifts"),
                )
                for name, role, path in journeys:
                    who = {"Cookie": sign_in(server.port, info[f"{role}_email"])}
                    endpoints.append(Endpoint(name, path, who))
            measure(
                server.port,
                endpoints,
                args.requests,
                args.concurrency,
                args.rounds,
                progress,
                mixed=args.load == "mixed",
            )
        finally:
            server.stop()
        all_rows += rows_for(endpoints, label, args.concurrency)
    if args.json:
        print(json.dumps(all_rows, indent=2))
    else:
        print_table(all_rows)
        print(
            f"\np50/p95/p99 are per-request latencies under {args.concurrency} concurrent "
            f"clients ({args.load} load); ratios compare with /healthz measured in the "
            "same rounds."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
