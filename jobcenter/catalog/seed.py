"""Reference data every installation starts with. Idempotent: safe to run again."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from importlib import resources

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.catalog.models import District, Rate, RateKind, Skill, StreamRule, TaskKind
from jobcenter.core.enums import Stream

# An icon per pilot task kind (symbols in static/icons.svg).
TASK_KIND_ICONS = {
    "cleaning": "broom",
    "safety_phone_cleaning": "phone",
    "mailing_labelling": "envelope",
    "floorball_mats": "mat",
    "window_washing": "window",
    "outdoor_work": "tree",
    "storage_organising": "boxes",
    "moving_packing": "box",
    "thesis_archiving": "archive",
    "resident_folders": "folder",
    "elderly_assistance": "hands",
    "dishwashing": "dish",
    "gritting_snow": "snow",
    "raking": "rake",
    "bagging_packaging": "bag",
    "custom_sewing": "needle",
    "shopping_help": "cart",
}

# Legal defaults (DOMAIN.md). Rehabilitative: Act 189/2001 as amended by 142/2015 and
# THL guidance; disability: SHL 710/1982 §27 e, no statutory hour limits.
STREAM_RULE_DEFAULTS = [
    {
        "stream": Stream.REHABILITATIVE,
        "valid_from": date(2016, 1, 1),
        "min_days_per_week": 1,
        "max_days_per_week": 4,
        "min_minutes_per_day": 4 * 60,
        "max_minutes_per_day": 8 * 60,
        "max_minutes_per_week": 32 * 60,
        "min_plan_months": 3,
        "max_plan_months": 24,
        "daily_allowance_cents": 900,
        "legal_basis": "Laki kuntouttavasta työtoiminnasta 189/2001 (142/2015); THL",
    },
    {
        "stream": Stream.DISABILITY,
        "valid_from": date(2016, 1, 1),
        "min_days_per_week": None,
        "max_days_per_week": None,
        "min_minutes_per_day": None,
        "max_minutes_per_day": None,
        "max_minutes_per_week": None,
        "min_plan_months": None,
        "max_plan_months": None,
        "daily_allowance_cents": 1200,
        "legal_basis": "Sosiaalihuoltolaki 710/1982 27 e §; vammaispalvelulaki 675/2023",
    },
]

# Helsinki's model: 10 €/h wage, 14.50 €/h + VAT price. Finland's general VAT rate
# rose from 24 % to 25.5 % on 1.9.2024.
RATE_DEFAULTS = [
    {"kind": RateKind.WAGE, "cents_per_hour": 1000, "vat_percent": Decimal("0"),
     "valid_from": date(2021, 1, 1), "valid_to": None},
    {"kind": RateKind.PRICE, "cents_per_hour": 1450, "vat_percent": Decimal("24.00"),
     "valid_from": date(2021, 1, 1), "valid_to": date(2024, 9, 1)},
    {"kind": RateKind.PRICE, "cents_per_hour": 1450, "vat_percent": Decimal("25.50"),
     "valid_from": date(2024, 9, 1), "valid_to": None},
]  # fmt: skip


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("jobcenter.seed").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _upsert_named(session: Session, model: type, rows: list[dict[str, str]], **extra) -> int:
    existing = set(session.scalars(sa.select(model.code)))
    added = 0
    for row in rows:
        if row["code"] in existing:
            continue
        values = {k: row[k] for k in ("code", "name_fi", "name_sv")}
        # Districts come with Finnish and Swedish names only; English uses the Finnish.
        values["name_en"] = row.get("name_en") or row["name_fi"]
        values.update({k: fn(row) for k, fn in extra.items()})
        session.add(model(**values))
        added += 1
    return added


def seed_reference_data(session: Session) -> dict[str, int]:
    """Districts, skills, the pilot's task kinds, stream rules and rates."""
    counts = {
        "districts": _upsert_named(session, District, _rows("districts_helsinki.csv")),
        "skills": _upsert_named(session, Skill, _rows("skills.csv")),
        "task_kinds": _upsert_named(
            session,
            TaskKind,
            _rows("task_kinds.csv"),
            icon=lambda row: TASK_KIND_ICONS.get(row["code"], "task"),
        ),
        "stream_rules": 0,
        "rates": 0,
    }
    for rule in STREAM_RULE_DEFAULTS:
        exists = session.scalar(
            sa.select(sa.func.count())
            .select_from(StreamRule)
            .where(StreamRule.stream == rule["stream"])
        )
        if not exists:
            session.add(StreamRule(**rule))
            counts["stream_rules"] += 1
    if not session.scalar(sa.select(sa.func.count()).select_from(Rate)):
        for rate in RATE_DEFAULTS:
            session.add(Rate(**rate))
            counts["rates"] += 1
    session.flush()
    return counts
