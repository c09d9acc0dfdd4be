"""Human names for stored codes, translated when shown (lazy: safe at import time)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from jobcenter.catalog.models import RateKind
from jobcenter.core.enums import Locale, Role, Stream
from jobcenter.units.models import UnitKind

ROLE_LABELS = {
    Role.UNIT_CONTACT: _l("Unit contact"),
    Role.INSTRUCTOR: _l("Instructor"),
    Role.PARTICIPANT: _l("Participant"),
    Role.MANAGER: _l("Manager"),
    Role.ADMIN: _l("Administrator"),
}

ROLE_DESCRIPTIONS = {
    Role.UNIT_CONTACT: _l("Orders work for one unit and confirms it was done."),
    Role.INSTRUCTOR: _l("Owns groups of participants, plans shifts and supervises the work."),
    Role.PARTICIPANT: _l("A person in work activity. Needs a group and a plan."),
    Role.MANAGER: _l("Follows hours and reports."),
    Role.ADMIN: _l("Manages users, units, catalogues, stream rules and rates."),
}

STREAM_LABELS = {
    Stream.REHABILITATIVE: _l("Rehabilitative work activity"),
    Stream.DISABILITY: _l("Disability work activity"),
}

UNIT_KIND_LABELS = {
    UnitKind.CITY_UNIT: _l("City unit"),
    UnitKind.COMPANY: _l("Company"),
    UnitKind.ASSOCIATION: _l("Association"),
    UnitKind.PRIVATE_PERSON: _l("Private person"),
}

RATE_KIND_LABELS = {
    RateKind.WAGE: _l("Wage per hour (paid to the participant)"),
    RateKind.PRICE: _l("Price per hour (billed to the customer, before VAT)"),
}

RATE_KIND_SHORT = {
    RateKind.WAGE: _l("Wage"),
    RateKind.PRICE: _l("Price"),
}

LOCALE_LABELS = {
    Locale.FI: "Suomi",
    Locale.SV: "Svenska",
    Locale.EN: "English",
}

# Plain descriptions of the supervision scale (DOMAIN.md). No diagnoses, ever.
SUPERVISION_LABELS = {
    0: _l("0 – Independent: works alone after an introduction."),
    1: _l("1 – Reachable: the instructor answers the phone and visits."),
    2: _l("2 – On site: an instructor is there for the whole shift."),
    3: _l("3 – One-to-one: needs an instructor of their own."),
}

SUPERVISION_SHORT = {
    0: _l("Independent"),
    1: _l("Reachable"),
    2: _l("On site"),
    3: _l("One-to-one"),
}

ICON_LABELS = {
    "task": _l("General task"),
    "archive": _l("Archive"),
    "bag": _l("Bag"),
    "box": _l("Box"),
    "boxes": _l("Boxes"),
    "broom": _l("Broom"),
    "cart": _l("Shopping cart"),
    "dish": _l("Dish"),
    "envelope": _l("Envelope"),
    "folder": _l("Folder"),
    "hands": _l("Helping hands"),
    "mat": _l("Mat"),
    "needle": _l("Needle"),
    "phone": _l("Phone"),
    "rake": _l("Rake"),
    "snow": _l("Snowflake"),
    "tree": _l("Tree"),
    "window": _l("Window"),
}


CATALOGUE_TITLES = {
    "skills": _l("Skills"),
    "skill_new": _l("New skill"),
    "skill_edit": _l("Edit skill"),
    "task_kinds": _l("Task kinds"),
    "task_kind_new": _l("New task kind"),
    "task_kind_edit": _l("Edit task kind"),
}


def label(mapping: dict, key) -> str:
    """The label of a code, or the code itself if a new value has no label yet."""
    value = mapping.get(key)
    return str(value) if value is not None else str(key)


def format_euros(cents: int) -> str:
    """1450 → "14,50" (in the page's locale): the one way euros are written on pages and
    in messages (downloads keep numbers: `jobcenter.core.exports.euros_value`)."""
    return format_decimal(Decimal(cents) / 100, format="#,##0.00")


def last_valid_day(row: Any) -> date | None:
    """`valid_to` is the first day a version no longer applies; people read the last day."""
    return row.valid_to - timedelta(days=1) if row.valid_to is not None else None


def format_percent_value(value: Decimal) -> str:
    """Decimal("25.50") → "25,5" (in the page's locale)."""
    return format_decimal(value, format="#,##0.##")
