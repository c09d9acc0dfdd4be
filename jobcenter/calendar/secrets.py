"""Secret calendar-feed addresses: create, show again, regenerate, resolve.

A feed address is `/calendar/feed/<secret>.ics`. The secret is 256 bits, and the
database keeps only its SHA-256 hash (`accounts.secrets.hash_secret`, as for API and
one-time tokens), so a copy of the database opens no calendar.

People must be able to see their address again (a participant copies it to a new
phone months later), so the secret is not drawn once and forgotten: it is an HMAC of
the feed row's id under the application's SECRET_KEY. Nobody can compute it without
that key, which already guards every session; a new row (regenerate) gives a new
secret. If SECRET_KEY is ever changed, the address can no longer be shown (its hash no
longer matches): `feed_secret` then issues a new address and revokes the old one.

One active feed per user (a partial unique index); regenerating revokes the old row
first, so its address answers 404 from then on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jobcenter.accounts.models import CalendarFeed, User
from jobcenter.accounts.secrets import hash_secret, new_secret
from jobcenter.core import audit, clock

# Longer than any secret we issue (43 characters); longer input is not even hashed.
MAX_SECRET_LENGTH = 100
_DERIVATION_LABEL = b"jobcenter calendar feed v1:"


@dataclass(frozen=True)
class IssuedFeed:
    feed: CalendarFeed
    secret: str


def _derive(feed_id: int) -> str:
    key = current_app.config["SECRET_KEY"]
    if isinstance(key, str):
        key = key.encode()
    digest = hmac.new(key, _DERIVATION_LABEL + str(feed_id).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def active_feed(session: Session, user: User) -> CalendarFeed | None:
    return session.scalars(
        sa.select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
        )
    ).first()


def _create(session: Session, user: User) -> IssuedFeed:
    # The secret depends on the row's id: insert with a throw-away hash, then set it.
    feed = CalendarFeed(user_id=user.id, token_hash=hash_secret(new_secret(32)))
    session.add(feed)
    session.flush()
    secret = _derive(feed.id)
    feed.token_hash = hash_secret(secret)
    session.flush()
    return IssuedFeed(feed, secret)


def create_feed(session: Session, user: User) -> IssuedFeed:
    """The user's active feed and its secret, made now if they have none (flush only).
    Two first requests racing: the partial unique index lets one insert win; the other
    reads the winner's row (PostgreSQL, in a savepoint; SQLite serialises writers)."""
    from jobcenter.notifications.messages import savepoint

    existing = active_feed(session, user)
    if existing is not None:
        return _shown(session, user, existing)
    try:
        with savepoint(session):
            issued = _create(session, user)
    except IntegrityError:
        existing = active_feed(session, user)
        if existing is None:
            raise
        return _shown(session, user, existing)
    audit.record("calendar_feed_created", issued.feed, actor_id=user.id)
    return issued


def _shown(session: Session, user: User, feed: CalendarFeed) -> IssuedFeed:
    secret = _derive(feed.id)
    if hmac.compare_digest(hash_secret(secret), feed.token_hash):
        return IssuedFeed(feed, secret)
    # SECRET_KEY changed: the old address cannot be shown again; replace it.
    return regenerate_feed(session, user, reason="key_changed")


def feed_secret(session: Session, user: User) -> str:
    return create_feed(session, user).secret


def regenerate_feed(session: Session, user: User, *, reason: str = "asked") -> IssuedFeed:
    """Revoke the user's active feed (its address stops working) and issue a new one."""
    now = clock.now()
    revoked = session.execute(
        sa.update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    session.flush()
    issued = _create(session, user)
    audit.record(
        "calendar_feed_regenerated",
        issued.feed,
        actor_id=user.id,
        detail={"revoked": revoked, "reason": reason},
    )
    return issued


def resolve_feed(session: Session, secret: str) -> CalendarFeed | None:
    """The active feed with this secret, or None: unknown, revoked, or its account closed
    (the caller answers 404 alike, so nobody learns which)."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    feed = session.scalars(
        sa.select(CalendarFeed).where(CalendarFeed.token_hash == hash_secret(secret))
    ).first()
    if feed is None or feed.revoked_at is not None:
        return None
    if not feed.user.is_active:
        return None
    return feed
