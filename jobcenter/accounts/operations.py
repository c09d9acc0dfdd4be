"""Account rules: sign-in, tokens. Functions take a session, flush, never commit."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.accounts.models import ApiToken, User
from jobcenter.accounts.secrets import (
    hash_password,
    hash_secret,
    needs_rehash,
    new_secret,
    verify_password,
)
from jobcenter.core import clock

API_TOKEN_PREFIX = "jc_"  # noqa: S105 (a public prefix)


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    ).first()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user if the e-mail and password match an active account, else None."""
    user = find_user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = clock.now()
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """New password; every other session of the user is signed out."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    session.flush()


def create_api_token(
    session: Session, user: User, name: str = "CLI", expires_in: timedelta | None = None
) -> tuple[ApiToken, str]:
    """Returns the row and the plain token, which is shown once and never stored."""
    secret = API_TOKEN_PREFIX + new_secret(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:10],
        token_hash=hash_secret(secret),
        expires_at=clock.now() + expires_in if expires_in else None,
    )
    session.add(token)
    session.flush()
    return token, secret


def user_for_api_token(session: Session, secret: str) -> User | None:
    token = session.scalars(
        sa.select(ApiToken).where(ApiToken.token_hash == hash_secret(secret))
    ).first()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= clock.now():
        return None
    if not token.user.is_active:
        return None
    # Written with the request's commit; read-only requests leave it as it was.
    token.last_used_at = clock.now()
    return token.user
