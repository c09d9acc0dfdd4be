"""What each role's home page shows. Plain functions: user in, template and data out."""

from __future__ import annotations

from typing import Any

from jobcenter.core.enums import Role


def home_for(user) -> tuple[str, dict[str, Any]]:
    return {
        Role.ADMIN: "home/admin.html",
        Role.MANAGER: "home/manager.html",
        Role.INSTRUCTOR: "home/instructor.html",
        Role.UNIT_CONTACT: "home/unit.html",
        Role.PARTICIPANT: "home/participant.html",
    }[user.role], {}
