"""The signed-in user's calendar feed address.

- `GET /api/v1/me/calendar-feed` → `{"url": "…", "webcal_url": "…"}`: the address of the
  user's iCalendar feed (made on first use; the same address on every call).
- `POST /api/v1/me/calendar-feed/regenerate` → the same shape with a new address; the
  old one stops working at once (404).

Participants, instructors and unit contacts have feeds; managers and admins get 403.
The answer carries a secret: it is never cached (`Cache-Control: no-store`).
"""

from __future__ import annotations

from flask import Response
from flask_login import current_user
from marshmallow import Schema, fields

from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import json_response
from jobcenter.api.openapi import doc
from jobcenter.calendar import secrets
from jobcenter.calendar.feeds import FEED_ROLES
from jobcenter.calendar.views import feed_url, webcal_url
from jobcenter.core.transactions import unit_of_work
from jobcenter.extensions import db

TAGS = ["calendar"]


class CalendarFeedSchema(Schema):
    url = fields.String(
        required=True,
        metadata={"description": "The feed's https address (keep it secret)."},
    )
    webcal_url = fields.String(
        required=True,
        metadata={"description": "The same address as webcal://, for phones."},
    )


def _answer(secret: str) -> Response:
    url = feed_url(secret)
    return json_response(CalendarFeedSchema().dump({"url": url, "webcal_url": webcal_url(url)}))


@bp.get("/me/calendar-feed")
@doc(summary="My calendar feed address", response=CalendarFeedSchema, tags=TAGS)
@require_roles(*FEED_ROLES)
def get_calendar_feed() -> Response:
    """The address of your iCalendar feed of shifts, for a phone, Google Calendar or
    Outlook. Made on first use; the same address on every call until you regenerate it."""
    user = current_user._get_current_object()
    with unit_of_work():
        issued = secrets.create_feed(db.session, user)
    return _answer(issued.secret)


@bp.post("/me/calendar-feed/regenerate")
@doc(summary="A new calendar feed address", response=CalendarFeedSchema, tags=TAGS)
@require_roles(*FEED_ROLES)
def regenerate_calendar_feed() -> Response:
    """Revokes your current feed address (it answers 404 from now on) and returns a new one."""
    user = current_user._get_current_object()
    with unit_of_work():
        issued = secrets.regenerate_feed(db.session, user)
    return _answer(issued.secret)
