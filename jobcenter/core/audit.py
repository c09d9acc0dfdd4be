"""Audit log writer. Every read or change of a participant's data calls `record`."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from jobcenter.accounts.models import AuditEvent
from jobcenter.extensions import db


def record(
    action: str,
    obj: Any = None,
    *,
    participant_id: int | None = None,
    actor_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (it commits with the change)."""
    if actor_id is None and has_request_context() and current_user.is_authenticated:
        actor_id = current_user.id
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        participant_id=participant_id,
        ip_address=request.remote_addr if has_request_context() else None,
        detail=detail or {},
    )
    db.session.add(event)
    return event
