"""`flask jobcenter …` commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

jobcenter_cli = AppGroup("jobcenter", help="Jobcenter administration commands.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(jobcenter_cli)


@jobcenter_cli.command("api-token")
@click.argument("email")
@click.option("--name", default="CLI", show_default=True, help="A label for the token.")
def api_token(email: str, name: str) -> None:
    """Print a new personal API token for the user with EMAIL."""
    from jobcenter.accounts.operations import create_api_token, find_user_by_email
    from jobcenter.extensions import db

    user = find_user_by_email(db.session, email)
    if user is None or not user.is_active:
        raise click.ClickException(f"No active user with the e-mail address {email!r}.")
    _token, secret = create_api_token(db.session, user, name=name)
    db.session.commit()
    click.echo(secret)


@jobcenter_cli.command("seed")
def seed() -> None:
    """Load reference data (districts, skills, task kinds, stream rules, rates)."""
    from jobcenter.catalog.seed import seed_reference_data
    from jobcenter.extensions import db

    counts = seed_reference_data(db.session)
    db.session.commit()
    click.echo(", ".join(f"{name}: {n} added" for name, n in counts.items()))


@jobcenter_cli.command("demo")
@click.option(
    "--size",
    type=click.Choice(["small", "helsinki"]),
    default="small",
    show_default=True,
    help="small: a pilot to click through; helsinki: the benchmark scale.",
)
@click.option("--seed", type=int, default=None, help="Random seed (same seed, same data).")
@click.option(
    "--scale",
    type=click.FloatRange(min=0.001, max=2.0),
    default=1.0,
    show_default=True,
    help="Helsinki size only: a fraction of the benchmark scale (e.g. 0.01).",
)
@click.option(
    "--password",
    default=None,
    help="Password of the demo users (default: jobcenter-demo).",
)
def demo(size: str, seed: int | None, scale: float, password: str | None) -> None:
    """Fill the database with demo data and print a login for each role.

    Safe to run again: an existing demo is detected and left as it is.
    """
    from flask import current_app

    from jobcenter.accounts.secrets import MIN_PASSWORD_LENGTH
    from jobcenter.demo.common import DEFAULT_PASSWORD, DEFAULT_SEED, DemoConflict
    from jobcenter.extensions import db

    if size == "small" and scale != 1.0:
        raise click.UsageError("--scale applies to --size helsinki only.")
    password = password or DEFAULT_PASSWORD
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"use at least {MIN_PASSWORD_LENGTH} characters.", param_hint="--password"
        )
    seed = DEFAULT_SEED if seed is None else seed
    config = current_app.config
    try:
        if size == "small":
            from jobcenter.demo.small import create_small_demo

            result = create_small_demo(
                db.session,
                seed=seed,
                password=password,
                base_url=config["BASE_URL"],
                sign_in_days=config.get("SIGN_IN_LINK_DAYS", 14),
            )
        else:
            from jobcenter.demo.helsinki import create_helsinki_demo

            result = create_helsinki_demo(
                db.session,
                seed=seed,
                scale=scale,
                password=password,
                base_url=config["BASE_URL"],
                sign_in_days=config.get("SIGN_IN_LINK_DAYS", 14),
                progress=lambda message: click.echo(message, err=True),
            )
        db.session.commit()
    except DemoConflict as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    except BaseException:
        db.session.rollback()
        raise
    _print_demo(result)


def _print_demo(result) -> None:
    if result.created:
        click.echo(f"Demo data created ({result.size}) in {result.seconds:.1f} s.")
        counts = result.counts
        shown = ("units", "instructors", "participants", "tasks", "shifts", "assignments",
                 "attendance_records", "hour_entries")  # fmt: skip
        click.echo(", ".join(f"{name.replace('_', ' ')}: {counts.get(name, 0)}" for name in shown))
    else:
        click.echo(f"Demo data ({result.size}) is already in the database; nothing was added.")
    if result.hours:
        click.echo(
            "Confirmed hours: "
            + ", ".join(f"{stream} {hours:.0f} h" for stream, hours in sorted(result.hours.items()))
        )
    click.echo("")
    order = ("admin", "manager", "instructor", "unit contact", "participant")
    logins = sorted(result.logins, key=lambda login: order.index(login.role))
    rows = [("Role", "Name", "E-mail", "Password")] + [
        (login.role, login.name, login.email, login.password or "(changed since the demo)")
        for login in logins
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for n, row in enumerate(rows):
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if n == 0:
            click.echo("  ".join("-" * width for width in widths))
    if result.sign_in_url:
        click.echo("")
        click.echo(f"One-time sign-in link for participant {result.sign_in_name} (no password):")
        click.echo(result.sign_in_url)


@jobcenter_cli.command("send-mail")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
def send_mail(limit: int) -> None:
    """Send the e-mail messages waiting in the outbox."""
    from jobcenter.notifications.sender import deliver_pending

    sent = deliver_pending(limit=limit)
    click.echo(f"Sent {sent} message{'s' if sent != 1 else ''}.")


@jobcenter_cli.command("scheduler")
def scheduler() -> None:
    """Run the job scheduler (shift horizon, outbox mail). Run exactly one: a second
    one started by mistake waits until the first stops."""
    import logging

    from flask import current_app

    from jobcenter.scheduler import run_scheduler

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    run_scheduler(current_app._get_current_object())


@jobcenter_cli.command("create-admin")
@click.argument("email")
@click.option("--first-name", default="Admin", show_default=True)
@click.option("--last-name", default="Jobcenter", show_default=True)
@click.password_option(help="The password (asked twice when not given).")
def create_admin(email: str, first_name: str, last_name: str, password: str) -> None:
    """Create the first administrator of a new installation."""
    from jobcenter.accounts.management import create_user
    from jobcenter.accounts.operations import set_password
    from jobcenter.accounts.secrets import MIN_PASSWORD_LENGTH
    from jobcenter.core.enums import Role
    from jobcenter.core.errors import ValidationFailed
    from jobcenter.extensions import db

    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"use at least {MIN_PASSWORD_LENGTH} characters.")
    try:
        user = create_user(
            db.session, role=Role.ADMIN, email=email, first_name=first_name, last_name=last_name
        )
        set_password(db.session, user, password)
    except ValidationFailed as exc:
        db.session.rollback()
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
        raise click.ClickException(problems) from exc
    db.session.commit()
    click.echo(f"Administrator {email} created. Sign in at /login.")


summaries_cli = AppGroup("summaries", help="The dashboard's daily summaries of the ledger.")
jobcenter_cli.add_command(summaries_cli)


@summaries_cli.command("rebuild")
def rebuild_summaries() -> None:
    """Rebuild every dashboard summary from the ledger (after a restore, a bulk import
    or a migration). Readers keep them in step on their own after that."""
    import time

    from jobcenter.dashboard.summaries import rebuild_all
    from jobcenter.extensions import db

    started = time.perf_counter()
    days = rebuild_all(db.session)
    db.session.commit()
    click.echo(
        f"Rebuilt the dashboard summaries of {days} day{'s' if days != 1 else ''} "
        f"in {time.perf_counter() - started:.1f} s."
    )


@summaries_cli.command("check")
def check_summaries() -> None:
    """Compare the summed summaries with the ledger for the last twelve months and
    exit non-zero when any figure differs."""
    from jobcenter.dashboard import queries, queries_ledger
    from jobcenter.dashboard.period import default_range
    from jobcenter.extensions import db

    rng = default_range()
    fast = queries.dashboard(db.session, rng, "en")
    slow = queries_ledger.dashboard(db.session, rng, "en")
    db.session.commit()
    if fast != slow:
        raise click.ClickException(
            f"The summaries differ from the ledger for {rng.first}–{rng.last}: run "
            "`flask jobcenter summaries rebuild`."
        )
    click.echo(f"The summaries agree with the ledger for {rng.first}–{rng.last}.")
