"""The main menu per role, in one place so pages and tests agree on it."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from jobcenter.core.enums import Role


def items_for(user) -> list[tuple[str, str]]:
    """(url, label) pairs for the user's main navigation."""
    items = [(url_for("home.index"), _("Home"))]
    if user.role == Role.ADMIN:
        items += [
            (url_for("admin.users"), _("Users")),
            (url_for("admin.units"), _("Units")),
            (url_for("admin.skills"), _("Skills")),
            (url_for("admin.task_kinds"), _("Task kinds")),
            (url_for("admin.stream_rules"), _("Stream rules")),
            (url_for("admin.rates"), _("Rates")),
        ]
    items.append((url_for("accounts.profile"), _("My account")))
    return items
