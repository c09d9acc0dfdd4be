"""Vocabularies shared across domains. Values are stored in the database."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    UNIT_CONTACT = "unit_contact"
    INSTRUCTOR = "instructor"
    PARTICIPANT = "participant"
    MANAGER = "manager"
    ADMIN = "admin"


class Locale(StrEnum):
    FI = "fi"
    SV = "sv"
    EN = "en"


class Stream(StrEnum):
    REHABILITATIVE = "rehabilitative"  # kuntouttava työtoiminta, Act 189/2001
    DISABILITY = "disability"  # vammaisten työtoiminta, SHL 710/1982 §27 e


class SupervisionLevel:
    """0 independent, 1 reachable, 2 on site, 3 one-to-one (DOMAIN.md)."""

    INDEPENDENT = 0
    REACHABLE = 1
    ON_SITE = 2
    ONE_TO_ONE = 3
    ALL = (0, 1, 2, 3)
