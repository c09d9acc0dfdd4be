"""The main menu per role, in one place so pages and tests agree on it.

A page joins a role's menu by adding one `MenuEntry` here. An entry is shown only
when its endpoint is registered in the running app, so the menu never links to a
page that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from jobcenter.core.enums import Role

EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class MenuEntry:
    endpoint: str
    label: object  # a lazy translation, rendered in the request's language
    roles: frozenset[Role] = EVERYONE
    # What the page is for, shown on the home page's "what you can do" list.
    description: object | None = None
    icon: str = "arrow-right"


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("home.index", _l("Home"), icon="home"),
    MenuEntry(
        "mine.week",
        _l("My week"),
        frozenset({Role.PARTICIPANT}),
        _l("Your shifts day by day."),
        icon="calendar",
    ),
    MenuEntry(
        "mine.availability",
        _l("When I can work"),
        frozenset({Role.PARTICIPANT}),
        _l("Tell the days and times you can work, and your days away."),
        icon="clock",
    ),
    MenuEntry(
        "units.tasks",
        _l("Our tasks"),
        frozenset({Role.UNIT_CONTACT}),
        _l("Post work for your unit and follow each task until it is done."),
        icon="task",
    ),
    MenuEntry(
        "units.new_task",
        _l("Post a task"),
        frozenset({Role.UNIT_CONTACT}),
        _l("Tell what work you need, where and when."),
        icon="check",
    ),
    MenuEntry(
        "units.hours",
        _l("Hours and costs"),
        frozenset({Role.UNIT_CONTACT}),
        _l("Hours worked for your unit each month and what they cost."),
        icon="chart",
    ),
    MenuEntry(
        "units.inbox",
        _l("Inbox"),
        frozenset({Role.INSTRUCTOR, Role.ADMIN}),
        _l("Accept, reject or ask changes to the tasks units send."),
        icon="task",
    ),
    MenuEntry(
        "planning.index",
        _l("Planning"),
        frozenset({Role.INSTRUCTOR, Role.ADMIN}),
        _l("Run matching for a group's week, adjust the proposal and publish it."),
        icon="calendar",
    ),
    MenuEntry(
        "calendar.instructor_week",
        _l("Week calendar"),
        frozenset({Role.INSTRUCTOR, Role.ADMIN}),
        _l("All your people and shifts of a week, by group, unit and site."),
        icon="calendar",
    ),
    MenuEntry(
        "attendance.today",
        _l("Attendance"),
        frozenset({Role.INSTRUCTOR}),
        _l("Record who came to today's shifts and their real hours, and confirm them."),
        icon="check",
    ),
    MenuEntry(
        "attendance.overdue",
        _l("Attendance missing"),
        frozenset({Role.INSTRUCTOR}),
        _l("Shifts that have ended without confirmed attendance."),
        icon="clock",
    ),
    MenuEntry(
        "attendance.months",
        _l("Close months"),
        frozenset({Role.INSTRUCTOR}),
        _l("Lock a group's month when its attendance is complete, or reopen it with a reason."),
        icon="calendar",
    ),
    MenuEntry(
        "admin.users",
        _l("Users"),
        frozenset({Role.ADMIN}),
        _l("Add people, set their role and unit, and close accounts."),
        icon="id-card",
    ),
    MenuEntry(
        "admin.groups",
        _l("Groups"),
        frozenset({Role.ADMIN}),
        _l("Instructors' groups of participants."),
        icon="users",
    ),
    MenuEntry(
        "admin.units",
        _l("Units"),
        frozenset({Role.ADMIN}),
        _l("Keep the customers' names, addresses and districts up to date."),
        icon="building",
    ),
    MenuEntry(
        "admin.skills",
        _l("Skills"),
        frozenset({Role.ADMIN}),
        _l("The skills that tasks ask for and participants have."),
        icon="check",
    ),
    MenuEntry(
        "admin.task_kinds",
        _l("Task kinds"),
        frozenset({Role.ADMIN}),
        _l("Kinds of work, their names in three languages and their icons."),
        icon="task",
    ),
    MenuEntry(
        "admin.stream_rules",
        _l("Stream rules"),
        frozenset({Role.ADMIN}),
        _l("Days and hours allowed in each stream of work activity."),
        icon="cog",
    ),
    MenuEntry(
        "admin.rates",
        _l("Rates"),
        frozenset({Role.ADMIN}),
        _l("Wage, price and VAT per hour, with the dates they are valid."),
        icon="chart",
    ),
    MenuEntry(
        "reports.my_earnings",
        _l("My hours and pay"),
        frozenset({Role.PARTICIPANT}),
        _l("How many hours you have worked this month and how much you have earned."),
        icon="chart",
    ),
    MenuEntry(
        "reports.allowance",
        _l("Allowance days"),
        frozenset({Role.INSTRUCTOR, Role.ADMIN}),
        _l("Attended days and absences per person, for the reports to Kela."),
        icon="calendar",
    ),
    MenuEntry(
        "reports.ceiling",
        _l("Earnings ceiling"),
        frozenset({Role.INSTRUCTOR, Role.ADMIN}),
        _l("People whose earnings this month are close to their ceiling."),
        icon="alert",
    ),
    MenuEntry(
        "reports.wages",
        _l("Wages"),
        frozenset({Role.INSTRUCTOR, Role.MANAGER, Role.ADMIN}),
        _l("Paid task hours and wages per person and month."),
        icon="chart",
    ),
    MenuEntry(
        "reports.billing",
        _l("Billing"),
        frozenset({Role.UNIT_CONTACT, Role.MANAGER, Role.ADMIN}),
        _l("Hours, prices and VAT per unit and month, with the tasks behind them."),
        icon="building",
    ),
    MenuEntry(
        "dashboard.index",
        _l("Dashboard"),
        frozenset({Role.MANAGER, Role.ADMIN}),
        _l("Hours, the pilot's figures, quality and satisfaction for any period, with downloads."),
        icon="chart",
    ),
    MenuEntry(
        "accounts.profile",
        _l("My account"),
        description=_l("Your name, e-mail address and language."),
        icon="user",
    ),
)


def page_exists(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def entries_for(user) -> list[MenuEntry]:
    """The menu entries this user's role sees, for pages that exist."""
    return [e for e in MENU if user.role in e.roles and page_exists(e.endpoint)]


def items_for(user) -> list[tuple[str, str]]:
    """(url, label) pairs for the user's main navigation."""
    return [(url_for(e.endpoint), str(e.label)) for e in entries_for(user)]


def shortcuts_for(user) -> list[tuple[str, str, str, str]]:
    """(url, label, description, icon) for the home page: every menu page but home."""
    return [
        (url_for(e.endpoint), str(e.label), str(e.description or ""), e.icon)
        for e in entries_for(user)
        if e.endpoint != "home.index"
    ]
