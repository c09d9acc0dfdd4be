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
