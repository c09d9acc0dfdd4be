"""Units (customers): create, update, deactivate.

Plain functions `(session, ..., **fields)`: they validate every field first, raise
`ValidationFailed` (messages per field, keyed by the keyword names) or `DomainError`,
and only then change rows and `flush()`. The caller commits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from jobcenter.catalog.models import District
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.core.text import control_character_message
from jobcenter.units.models import Task, TaskStatus, Unit, UnitKind

UNIT_FIELDS = (
    "name",
    "kind",
    "business_id",
    "street_address",
    "postal_code",
    "city",
    "district_id",
    "email",
    "phone",
    "billing_reference",
)
_REQUIRED = ("name", "street_address", "postal_code", "city")
_MAX_LENGTH = {
    "name": 160,
    "street_address": 200,
    "city": 80,
    "email": 254,
    "phone": 40,
    "billing_reference": 80,
}
BUSINESS_ID_PATTERN = re.compile(r"^\d{7}-\d$")
POSTAL_CODE_PATTERN = re.compile(r"^\d{5}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{5,}$")
# Tasks that still need the unit: deactivating it would strand them.
OPEN_TASK_STATUSES = (
    TaskStatus.SUBMITTED,
    TaskStatus.CHANGES_REQUESTED,
    TaskStatus.ACCEPTED,
    TaskStatus.SCHEDULED,
    TaskStatus.DONE,
)


def business_id_is_valid(value: str) -> bool:
    """Finnish business ID (Y-tunnus) 1234567-8 with its modulo-11 check digit."""
    if not BUSINESS_ID_PATTERN.match(value):
        return False
    digits = [int(c) for c in value[:7]]
    remainder = sum(d * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    if remainder == 1:
        return False  # no valid ID has this remainder
    check = 0 if remainder == 0 else 11 - remainder
    return check == int(value[8])


def normalise_email(value: str) -> str:
    """A syntactically valid address in lowercase; raises ValueError with a message."""
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(_("Check the e-mail address.")) from exc
    return result.normalized.lower()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _validate(
    session: Session, values: Mapping[str, Any], unit: Unit | None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    extra = set(values) - set(UNIT_FIELDS)
    if extra:
        raise TypeError(f"unknown unit fields: {', '.join(sorted(extra))}")
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in UNIT_FIELDS:
        if field not in values:
            if unit is None and field in _REQUIRED:
                fail(field, _("This field is required."))
            continue
        raw = values[field]
        if field == "district_id":
            if raw in (None, ""):
                clean[field] = None
            else:
                try:
                    district_id = int(raw)
                except (TypeError, ValueError):
                    district_id = None
                if district_id is None or session.get(District, district_id) is None:
                    fail(field, _("Choose a district from the list."))
                else:
                    clean[field] = district_id
            continue
        if field == "kind":
            try:
                clean[field] = UnitKind(raw)
            except ValueError:
                fail(field, _("Choose the kind of customer."))
            continue
        text = _text(raw)
        if field in _REQUIRED and not text:
            fail(field, _("This field is required."))
            continue
        if field in _MAX_LENGTH and len(text) > _MAX_LENGTH[field]:
            fail(field, _("Use at most %(max)d characters.", max=_MAX_LENGTH[field]))
            continue
        if message := control_character_message(text, multiline=False):
            fail(field, message)  # before any query: PostgreSQL refuses a NUL even there
            continue
        if field == "business_id" and text:
            text = text.replace(" ", "")
            if not business_id_is_valid(text):
                fail(
                    field,
                    _("Check the business ID. It looks like 1234567-8 and its last digit checks."),
                )
                continue
        if field == "postal_code" and not POSTAL_CODE_PATTERN.match(text):
            fail(field, _("A postal code has five digits, for example 00100."))
            continue
        if field == "email" and text:
            try:
                text = normalise_email(text)
            except ValueError as exc:
                fail(field, str(exc))
                continue
        if field == "phone" and text and not PHONE_PATTERN.match(text):
            fail(field, _("Check the phone number, for example +358 9 310 1234."))
            continue
        clean[field] = text if field in _REQUIRED else (text or None)

    name = clean.get("name")
    if name:
        taken = session.scalar(
            sa.select(Unit.id).where(
                sa.func.lower(Unit.name) == name.lower(),
                Unit.id != (unit.id if unit is not None else -1),
            )
        )
        if taken is not None:
            fail("name", _("A unit with this name already exists."))
    return clean, errors


def create_unit(session: Session, **fields: Any) -> Unit:
    """A new active unit. Required: name, street_address, postal_code, city."""
    clean, errors = _validate(session, fields, None)
    if errors:
        raise ValidationFailed(errors)
    clean.setdefault("kind", UnitKind.CITY_UNIT)
    unit = Unit(**clean, is_active=True)
    session.add(unit)
    session.flush()
    return unit


def update_unit(session: Session, unit: Unit, **fields: Any) -> Unit:
    """Change the given fields only; the others keep their values."""
    clean, errors = _validate(session, fields, unit)
    if errors:
        raise ValidationFailed(errors)
    for field, value in clean.items():
        setattr(unit, field, value)
    session.flush()
    return unit


def open_task_count(session: Session, unit: Unit) -> int:
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(Task)
        .where(Task.unit_id == unit.id, Task.status.in_(OPEN_TASK_STATUSES))
    )


def deactivate_unit(session: Session, unit: Unit) -> Unit:
    """The unit can no longer order work; its history stays. Refused while it has
    tasks in progress, so no accepted work is left without a customer."""
    count = open_task_count(session, unit)
    if count:
        raise DomainError(
            ngettext(
                "The unit has %(num)d task in progress. Finish or cancel it first.",
                "The unit has %(num)d tasks in progress. Finish or cancel them first.",
                count,
            )
        )
    unit.is_active = False
    session.flush()
    return unit


def reactivate_unit(session: Session, unit: Unit) -> Unit:
    unit.is_active = True
    session.flush()
    return unit
