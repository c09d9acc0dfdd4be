"""Mail written from templates in the recipient's language, queued in the outbox.

Each kind of message has two templates in `templates/mail/`: `<kind>.subject.txt`
(one line) and `<kind>.txt` (the plain-text body). They are rendered with the
recipient's saved locale (`flask_babel.force_locale`), so `_()` and the date
filters speak the recipient's language whatever the sender's page was in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_date, format_time
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.notifications.models import OutboxMessage
from jobcenter.notifications.outbox import enqueue


@dataclass(frozen=True)
class MailKind:
    name: str
    # The body carries a secret (a one-time link): it is wiped from the outbox once
    # the message has been delivered or given up on, so the table holds no live links.
    secret_body: bool = False


PASSWORD_RESET = MailKind("password_reset", secret_body=True)
SIGN_IN_LINK = MailKind("sign_in_link", secret_body=True)

KINDS: dict[str, MailKind] = {kind.name: kind for kind in (PASSWORD_RESET, SIGN_IN_LINK)}


def has_secret_body(kind: str) -> bool:
    known = KINDS.get(kind)
    return bool(known and known.secret_body)


def absolute_url(endpoint: str, **values: Any) -> str:
    """A link for e-mail or print: BASE_URL + the route's path. Works outside requests."""
    base = current_app.config["BASE_URL"].rstrip("/")
    adapter = current_app.url_map.bind("localhost")
    return base + adapter.build(endpoint, values)


def long_date(value: datetime) -> str:
    """The day as "14 January 2026", in the current (forced) language and Helsinki time."""
    return format_date(value, "long")


def short_time(value: datetime) -> str:
    """The time as "10:00" or "10.00", in Helsinki time."""
    return format_time(value, "short")


def render_mail(kind: str, locale: str, **context: Any) -> tuple[str, str]:
    """(subject, body) of a message kind in `locale`.

    Besides `context`, templates get `long_date(dt)` and `short_time(dt)`, which write
    a moment in the recipient's language and in Helsinki time."""
    env = current_app.jinja_env
    context = {"long_date": long_date, "short_time": short_time, **context}
    with force_locale(locale):
        subject = env.get_template(f"mail/{kind}.subject.txt").render(**context)
        body = env.get_template(f"mail/{kind}.txt").render(**context)
    # A header must be one line: collapse whatever whitespace the template left.
    subject = " ".join(subject.split())
    return subject, body.strip() + "\n"


def queue_mail(
    session: Session,
    user: User,
    kind: MailKind,
    *,
    dedupe_key: str | None = None,
    **context: Any,
) -> OutboxMessage:
    """Render `kind` for `user` in their language and add it to the outbox (flush only)."""
    if not user.email:
        raise ValueError(f"user {user.id} has no e-mail address")
    locale = str(user.locale)
    subject, body = render_mail(kind.name, locale, user=user, **context)
    return enqueue(
        session,
        recipient=user,
        to_address=user.email,
        kind=kind.name,
        subject=subject,
        body=body,
        locale=locale,
        dedupe_key=dedupe_key,
    )
