"""People who sign in, and the records of what they did."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from jobcenter.core import clock
from jobcenter.core.db import Base, TimestampMixin, enum_column
from jobcenter.core.enums import Locale, Role

if TYPE_CHECKING:
    from jobcenter.participants.models import Instructor, Participant
    from jobcenter.units.models import Unit


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        # A unit contact belongs to exactly one unit; nobody else belongs to a unit.
        sa.CheckConstraint(
            "(role = 'unit_contact' AND unit_id IS NOT NULL) "
            "OR (role <> 'unit_contact' AND unit_id IS NULL)",
            name="unit_only_for_unit_contacts",
        ),
        # Everyone but a participant signs in with an e-mail address.
        sa.CheckConstraint("role = 'participant' OR email IS NOT NULL", name="email_required"),
        # Stored lower-case so that uniqueness matches how people sign in.
        sa.CheckConstraint("email IS NULL OR email = lower(email)", name="email_lowercase"),
        sa.Index("ix_users_role", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    locale: Mapped[Locale] = mapped_column(enum_column(Locale), default=Locale.FI)
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    is_active_account: Mapped[bool] = mapped_column("is_active", default=True)
    unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    last_login_at: Mapped[datetime | None]
    # Bumped to invalidate every session of the user (password change, deactivation).
    session_version: Mapped[int] = mapped_column(default=1)
    # Day-before shift reminders by e-mail; each person can turn them off.
    reminders_enabled: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    unit: Mapped[Unit | None] = relationship(back_populates="contacts")
    participant: Mapped[Participant | None] = relationship(back_populates="user", uselist=False)
    instructor: Mapped[Instructor | None] = relationship(back_populates="user", uselist=False)

    @validates("email")
    def _normalise_email(self, _key: str, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip().lower() or None

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.is_active_account

    def get_id(self) -> str:
        # The session carries the version, so bumping it signs the user out everywhere.
        return f"{self.id}:{self.session_version}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class TokenPurpose:
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a purpose, not a secret)
    SIGN_IN = "sign_in"
    ALL = (PASSWORD_RESET, SIGN_IN)


class OneTimeToken(Base):
    """A single-use secret sent by e-mail or printed as a QR code; only its hash is kept."""

    __tablename__ = "one_time_tokens"
    __table_args__ = (
        sa.CheckConstraint("purpose IN ('password_reset', 'sign_in')", name="purpose"),
        sa.CheckConstraint("expires_at > created_at", name="expiry_after_creation"),
        sa.Index("ix_one_time_tokens_user_purpose", "user_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(sa.String(20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ApiToken(Base):
    """A personal bearer token for integrations; only a hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    # First characters of the token, shown so people can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class CalendarFeed(Base):
    """A secret calendar-feed address of one user. Only a hash of the secret is kept;
    regenerating revokes the old row and adds a new one, so old subscriptions stop."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        sa.Index(
            "uq_calendar_feeds_active_user",
            "user_id",
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_fetched_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class AuditEvent(Base):
    """Who did or saw what. Social-welfare client-data law requires logging every
    access to a client's data, so reads of participant data are written here too."""

    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_participant_at", "participant_id", "at"),
        sa.Index("ix_audit_events_actor_at", "actor_id", "at"),
        sa.Index("ix_audit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str | None] = mapped_column(sa.String(60))
    object_id: Mapped[int | None]
    # Whose personal data was involved, if anyone's: the data subject's audit trail.
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="SET NULL")
    )
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship()
