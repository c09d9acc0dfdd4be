"""Bad input gets a clear error and loses nothing: the action matrix, discovered.

Every URL rule with an action method (POST, PUT, PATCH, DELETE) is found from the app's
URL map (the discovery of tests/test_access_matrix.py), so an action added tomorrow is
checked too. Each action is tried by a role that is ALLOWED on an object in its row
scope, in the state the action needs (a submitted task to accept, an offered shift to
answer, yesterday's shift to record…: SCENARIOS), so the request reaches validation.

- HTML forms: the forms are read from the page that shows them (FORM_PAGES, else the
  same address, else the nearest page above it), as the first allowed role that sees
  them. Each form is sent with no fields at all; with every field it has — text,
  hidden, select, radio, checkbox, button — set to each hostile value of
  tests/bad_input.FORM_VALUES at once; with only the fields people type set to it (the
  page's own choices kept, so the values reach validation); and with bytes that are
  not UTF-8 (FORM_BYTES). TestConfig turns CSRF off (tests/accounts/test_security.py
  checks it is on in production), so no token is needed.
- JSON API: every body of tests/bad_input.RAW_BODIES (empty, null, a list, malformed,
  not UTF-8, a wrong content type…), an unknown property, and, per documented property
  of the request schema in /api/v1/openapi.json, each wrong type of JSON_WRONG_TYPES in
  an otherwise plausible body.

What must hold for every request:
- the status is below 500;
- an API 4xx is application/problem+json with a title and a detail (and `errors` per
  field for 422);
- an HTML 4xx names what is wrong: an error element of macros/forms.html (`.error`,
  `.error-summary`), a flashed error, or the error page's detail;
- a 4xx leaves the domain tables exactly as they were (every row, every column; see
  LOGS for what may record the attempt);
- nothing accepted is stored with a NUL byte (PostgreSQL cannot store one in text).

Targets are made afresh after an accepted request, so each value meets the object in
the state the action needs. The world is the access matrix's `world` fixture.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.datastructures import MultiDict

from jobcenter.accounts.models import User
from jobcenter.catalog.models import Skill, TaskKind
from jobcenter.core import clock
from jobcenter.core.db import Base
from jobcenter.core.enums import Role
from jobcenter.extensions import db
from jobcenter.hours.models import AttendanceRecord, MonthClosure
from jobcenter.matching.models import MatchingRun, RunStatus
from jobcenter.participants.models import Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift
from jobcenter.units.models import Task, TaskStatus, Unit
from tests import factories, test_access_matrix
from tests.bad_input import (
    FORM_BYTES,
    FORM_VALUES,
    JSON_WRONG_TYPES,
    RAW_BODIES,
    Form,
    read_forms,
)
from tests.test_access_matrix import (
    ACTION_METHODS,
    ANONYMOUS,
    PAGES,
    World,
    _discovery_app,
    _in_scope,
    _model_for,
)

# The access matrix's world, where each role owns something: a fixture used by name.
world = test_access_matrix.world

ACTIONS = [(page, method) for page in PAGES for method in page.methods if method in ACTION_METHODS]
HTML_ACTIONS = [(p, m) for p, m in ACTIONS if not p.is_api]
API_ACTIONS = [(p, m) for p, m in ACTIONS if p.is_api]

# What a refused request may still write, because it records the attempt itself (each
# seen to change on refusals; everything else must stay exactly as it was):
# - audit_events, append-only: the client-data law wants every view of a participant's
#   data logged, and a page re-shown with its errors (a task page with the first names
#   of the people on its shifts) is such a view;
# - api_tokens.last_used_at: written on every authenticated API request.
LOGS = frozenset({"audit_events"})
VOLATILE_COLUMNS = {"api_tokens": {"last_used_at"}}

# Roles tried first: the one who does the action in daily work, then the admin.
ROLE_PREFERENCE = (
    Role.INSTRUCTOR,
    Role.UNIT_CONTACT,
    Role.PARTICIPANT,
    Role.ADMIN,
    Role.MANAGER,
)

# Actions whose form has no field a person can change (the button is the whole form):
# posting hostile values to them checks that extra fields are ignored safely.
NO_FIELDS = frozenset(
    {
        "accounts.logout",
        "accounts.sign_in_link",
        "accounts.sign_in_with_link",
        "accounts.sign_out_everywhere",
        "admin.skill_deactivate",
        "admin.skill_reactivate",
        "admin.task_kind_deactivate",
        "admin.task_kind_reactivate",
        "admin.unit_deactivate",
        "admin.unit_reactivate",
        "admin.user_deactivate",
        "admin.user_reactivate",
        "calendar.regenerate",
        "units.mark_done",
        "units.submit_task",
        "attendance.close_month",
        "shifts.keep",
        "shifts.move",
        "planning.publish",
    }
)


# Actions no page has a form for any more (kept for bookmarked pages and scripts): they
# are sent the hostile values as unexpected fields.
NO_FORM = frozenset(
    {
        "attendance.confirm",  # the sheet's "Save and confirm" posts to attendance.record
    }
)


# Defects found by this matrix and not fixed yet: endpoint → (the case names that fail,
# what is wrong and where the fix goes). The rest of the action's cases are still
# checked; the test is then an xfail, and it fails as soon as the defect is gone
# (strict), so the entry gets removed. Empty: every defect it found is fixed.
KNOWN_DEFECTS: dict[str, tuple[frozenset[str], str]] = {}


def _settle(runner) -> None:
    """Assert no problem beyond the action's known defect; xfail while that remains."""
    problems = dict(runner.problems)
    known = KNOWN_DEFECTS.get(runner.page.endpoint)
    where = f"{runner.method} {runner.page.rule} as {runner.role}"
    if known is None:
        assert problems == {}, where
        return
    cases, reason = known
    seen = {case: problems.pop(case) for case in cases if case in problems}
    assert problems == {}, where
    assert seen, f"fixed? {runner.page.endpoint} no longer fails: remove it from KNOWN_DEFECTS"
    pytest.xfail(f"{reason}; seen: {seen}")


# ---------------------------------------------------------------- scenarios


@dataclass
class Target:
    """The objects an action is tried on, and the string parts of its address."""

    objects: dict[type, Any] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)


def _yesterday_assignment(world: World, status=AssignmentStatus.CONFIRMED) -> Assignment:
    """The world's participant on a shift of the world's group yesterday, supervised by
    the group's instructor."""
    group, instructor = world.objects[Participant].group, world.objects[Shift].instructor
    task = factories.make_task(unit=world.objects[Task].unit, group=group)
    day = clock.today() - timedelta(days=1)
    shift = factories.make_shift_on(task, day, time(9, 0), 240, instructor=instructor)
    return factories.make_assignment(shift, world.objects[Participant], status)


def _task(world: World, status: TaskStatus) -> Target:
    contact = world.users[Role.UNIT_CONTACT]
    if status in (TaskStatus.DRAFT, TaskStatus.SUBMITTED):
        task = factories.make_posted_task(contact, submit=status == TaskStatus.SUBMITTED)
    else:
        task = factories.make_task(
            unit=contact.unit, group=world.objects[Participant].group, status=status
        )
    return Target({Task: task})


def _offered(world: World) -> Target:
    assignment = factories.make_offered_shift(world.objects[Participant])
    return Target({Shift: assignment.shift, Assignment: assignment})


def _attended_yesterday(world: World) -> Target:
    assignment = _yesterday_assignment(world, AssignmentStatus.ATTENDED)
    return Target({Shift: assignment.shift, Assignment: assignment})


def _to_record(world: World) -> Target:
    return Target({Shift: _yesterday_assignment(world).shift})


def _to_confirm(world: World) -> Target:
    """Yesterday's shift with attendance recorded but not confirmed."""
    assignment = _yesterday_assignment(world, AssignmentStatus.ATTENDED)
    factories.make_attendance_record(assignment, confirmed_at=None)
    return Target({Shift: assignment.shift})


def _waiting_change(world: World) -> Target:
    """A shift whose task the unit changed after people were confirmed on it."""
    now = clock.now()
    made = factories.make_shift_with_waiting_change(now - timedelta(days=1), now)
    return Target({Shift: made.shift})


def _participant_with_email(world: World) -> Target:
    person = factories.make_participant(
        group=world.objects[Participant].group, email=f"p{factories._n()}@example.org"
    )
    return Target({Participant: person})


def _recorded(world: World) -> Target:
    assignment = _yesterday_assignment(world, AssignmentStatus.ATTENDED)
    record = factories.make_attendance_record(assignment)
    return Target({Shift: assignment.shift, AttendanceRecord: record})


def _last_month(world: World, *, closed: bool) -> Target:
    month = (clock.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    group = world.objects[Participant].group
    if closed:
        existing = db.session.scalars(
            sa.select(MonthClosure).filter_by(group_id=group.id, month=month)
        ).first()
        if existing is None:
            db.session.add(
                MonthClosure(group_id=group.id, month=month, closed_by_id=group.instructor.user_id)
            )
        else:
            existing.reopened_at = existing.reopened_by_id = existing.reopen_reason = None
        db.session.flush()
    return Target(strings={"month": month.strftime("%Y-%m")})


def _run(world: World) -> Target:
    """A finished run for next week: two shifts of the group, each with a proposal of
    the run and an open slot, so the board shows every form (lock, remove, swap, add)
    and publishing has something to publish."""
    group = world.objects[Participant].group
    week = clock.today() + timedelta(days=7 - clock.today().weekday())
    task = factories.make_task(unit=world.objects[Task].unit, group=group, headcount=2)
    people = [world.objects[Participant], factories.make_participant(group=group)]
    proposed = []
    for offset, person in enumerate(people):
        shift = factories.make_shift_on(
            task, week + timedelta(days=offset + 1), instructor=world.objects[Shift].instructor
        )
        factories.make_assignment(shift, person, AssignmentStatus.PROPOSED)
        proposed.append({"participant": person.id, "shift": shift.id})
    run = MatchingRun(
        group_id=group.id,
        week_start=week,
        status=RunStatus.DONE,
        requested_by_id=group.instructor.user_id,
        result={"assignments": proposed, "unfilled": [], "warnings": []},
        stats={},
    )
    db.session.add(run)
    db.session.flush()
    return Target({MatchingRun: run})


def _reset_token(world: World) -> Target:
    from jobcenter.accounts.operations import request_password_reset

    issued = request_password_reset(db.session, factories.make_manager().email)
    return Target(strings={"token": issued.secret})


def _sign_in_token(world: World) -> Target:
    from jobcenter.accounts.operations import create_sign_in_link

    issued = create_sign_in_link(
        db.session, world.objects[Participant], world.users[Role.INSTRUCTOR]
    )
    return Target(strings={"token": issued.secret})


# By the action's name (the endpoint without its blueprint), for the page and the API.
SCENARIOS: dict[str, Callable[[World], Target]] = {
    "accept_task": lambda w: _task(w, TaskStatus.SUBMITTED),
    "reject_task": lambda w: _task(w, TaskStatus.SUBMITTED),
    "request_changes": lambda w: _task(w, TaskStatus.SUBMITTED),
    "request_task_changes": lambda w: _task(w, TaskStatus.SUBMITTED),
    "cancel_task": lambda w: _task(w, TaskStatus.SUBMITTED),
    "submit_task": lambda w: _task(w, TaskStatus.DRAFT),
    "edit_task": lambda w: _task(w, TaskStatus.DRAFT),
    "update_task": lambda w: _task(w, TaskStatus.DRAFT),
    "confirm_task": lambda w: _task(w, TaskStatus.DONE),
    "give_feedback": lambda w: _task(w, TaskStatus.CONFIRMED),
    "give_task_feedback": lambda w: _task(w, TaskStatus.CONFIRMED),
    "accept": _offered,
    "decline": _offered,
    "accept_my_shift": _offered,
    "decline_my_shift": _offered,
    "feedback": _attended_yesterday,
    "record": _to_record,
    "all_present": _to_record,
    "confirm": _to_confirm,
    "record_shift_attendance": _to_record,
    "confirm_shift_attendance": _to_confirm,
    "correct": _recorded,
    "correct_attendance": _recorded,
    "close_month": lambda w: _last_month(w, closed=False),
    "reopen_month": lambda w: _last_month(w, closed=True),
    "add": _run,
    "remove": _run,
    "lock": _run,
    "replace": _run,
    "exchange": _run,
    "publish": _run,
    "change_matching_run": _run,
    "publish_matching_run": _run,
    "mark_done": lambda w: _task(w, TaskStatus.SCHEDULED),
    "mark_task_done": lambda w: _task(w, TaskStatus.SCHEDULED),
    "keep": _waiting_change,
    "move": _waiting_change,
    "move_shift": _waiting_change,
    "email_sign_in_link": _participant_with_email,
    "keep_shift": _waiting_change,
    "skill_reactivate": lambda w: Target({Skill: factories.make_skill(is_active=False)}),
    "task_kind_reactivate": lambda w: Target({TaskKind: factories.make_task_kind(is_active=False)}),
    "unit_reactivate": lambda w: Target({Unit: factories.make_unit(is_active=False)}),
    "user_reactivate": lambda w: Target({User: factories.make_manager(is_active_account=False)}),
    "reset_password": _reset_token,
    "sign_in_with_link": _sign_in_token,
}

# Parameters the access matrix does not name.
EXTRA_PARAM_MODELS = {"record_id": AttendanceRecord, "run_id": MatchingRun}

# Where a form lives when it is not on the action's own page or a page above it.
FORM_PAGES: dict[str, Callable[[dict[type, Any]], str]] = {
    "attendance.correct": lambda o: f"/attendance/shifts/{o[Shift].id}",
    "admin.user_reactivate": lambda o: f"/admin/users/{o[User].id}",
    "accounts.email_sign_in_link": lambda o: "/participants/sign-in-link/made",
    "shifts.move": lambda o: f"/shifts/{o[Shift].id}/manage",
    "shifts.keep": lambda o: f"/shifts/{o[Shift].id}/manage",
    "shifts.cancel": lambda o: f"/shifts/{o[Shift].id}/manage",
    "accounts.logout": lambda o: "/account",
    "home.set_language": lambda o: "/login",
}

# Pages whose form appears only in the answer to another request.
FORM_SOURCES: dict[str, Callable[[Any, dict[type, Any]], Any]] = {
    # The e-mail form is on the page that shows a link just made.
    "/participants/sign-in-link/made": lambda client, o: client.post(
        f"/participants/{o[Participant].id}/sign-in-link"
    ),
}


def _action_name(endpoint: str) -> str:
    return endpoint.rsplit(".", 1)[-1]


def _target(page, world: World) -> Target:
    make = SCENARIOS.get(_action_name(page.endpoint))
    target = make(world) if make else Target()
    objects = dict(world.objects) | target.objects
    if Assignment in target.objects and Shift not in target.objects:
        objects[Shift] = target.objects[Assignment].shift
    target.objects = objects
    db.session.commit()
    return target


def _url(app: Flask, page, target: Target) -> tuple[str, dict[type, Any]]:
    """The action's address on the target, and the objects it names."""
    values: dict[str, Any] = {}
    used: dict[type, Any] = {}
    for name in page.arguments:
        if name in page.int_arguments:
            model = _model_for(page, name) or EXTRA_PARAM_MODELS.get(name)
            assert model in target.objects, f"{page.endpoint}: no object for <{name}>"
            used[model] = target.objects[model]
            values[name] = used[model].id
        elif name in target.strings:
            values[name] = target.strings[name]
        elif name == "role":
            values[name] = Role.PARTICIPANT.value
        else:
            raise AssertionError(f"{page.endpoint}: no value for <{name}>: add a scenario")
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == page.endpoint)
    return rule.build(values, append_unknown=False)[1], used


def _role(page, world: World, url_objects: dict[type, Any]):
    """The first allowed role (in ROLE_PREFERENCE) with every object in its row scope."""
    if page.is_public and page.allowed_roles is None and not page.signed_in_only:
        return ANONYMOUS
    roles = page.allowed_roles if page.allowed_roles is not None else set(Role)
    for role in ROLE_PREFERENCE:
        if role in roles and all(
            _in_scope(db.session, model, obj, world.users[role])
            for model, obj in url_objects.items()
        ):
            return role
    raise AssertionError(f"{page.endpoint}: no allowed role has the objects in its row scope")


# ---------------------------------------------------------------- requests and checks


def _client(app: Flask, world: World, role, *, api: bool):
    from tests.conftest import login_as

    client = app.test_client()
    headers: dict[str, str] = {}
    if role != ANONYMOUS:
        if api:
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        else:
            login_as(client, world.users[role])
    return client, headers


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every domain table (LOGS aside), as sorted tuples."""
    db.session.rollback()  # see what requests committed, not an old transaction
    rows: dict[str, list[tuple]] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in LOGS:
                continue
            skip = VOLATILE_COLUMNS.get(table.name, set())
            columns = [c for c in table.columns if c.name not in skip]
            result = conn.execute(sa.select(*columns))
            rows[table.name] = sorted(tuple(repr(v) for v in row) for row in result)
    return rows


def _changed(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def _has_nul(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """Tables where the request wrote a row holding a NUL byte."""
    found = []
    for name, rows in after.items():
        new = set(rows) - set(before[name])
        if any("\\x00" in value for row in new for value in row):
            found.append(name)
    return found


# What names the problem on a page: a field's message or the summary (macros/forms.html),
# a flashed error, or the error page's detail. A 422 must say what to correct; other 4xx
# (a tampered id is 404 like any object outside the user's scope, a malformed request
# 400, a state conflict 409) may show the error page's explanation of its status.
FIELD_MESSAGES = ('class="error"', 'class="error-summary"', "flash-error", 'class="lead"')
ERROR_PAGE = 'class="error-page"'


def _html_problem(response, before, after) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if status >= 400:
        body = response.get_data(as_text=True)
        markers = FIELD_MESSAGES if status == 422 else (*FIELD_MESSAGES, ERROR_PAGE)
        if not any(marker in body for marker in markers):
            return f"{status} without a message saying what is wrong"
        if changed := _changed(before, after):
            return f"{status} but changed {changed}"
    elif nul := _has_nul(before, after):
        return f"{status}: stored a NUL byte in {nul}"
    return None


def _api_problem(response, before, after) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if status >= 400:
        if response.mimetype != "application/problem+json":
            return f"{status} as {response.mimetype}"
        body = response.get_json(silent=True) or {}
        if not body.get("title") or not (body.get("detail") or body.get("errors")):
            return f"{status} problem without title and detail: {body}"
        if status == 422 and "errors" in body and not isinstance(body["errors"], dict | list):
            return f"422 with errors that are not per field: {body['errors']!r}"
        if changed := _changed(before, after):
            return f"{status} but changed {changed}"
    elif nul := _has_nul(before, after):
        return f"{status}: stored a NUL byte in {nul}"
    return None


class Runner:
    """Sends the cases of one action; makes a fresh target after an accepted request."""

    def __init__(self, app: Flask, world: World, page, method: str) -> None:
        self.app, self.world, self.page, self.method = app, world, page, method
        self.target: Target | None = None
        self.role: Any = None
        self.generation = 0  # how many targets were made
        self.url_objects: dict[type, Any] = {}
        self.problems: dict[str, str] = {}

    def _fresh(self) -> tuple[str, Any]:
        if self.target is None:
            self.target = _target(self.page, self.world)
            self.generation += 1
        url, self.url_objects = _url(self.app, self.page, self.target)
        if self.role is None:
            self.role = _role(self.page, self.world, self.url_objects)
        return url, self.role

    def send(self, case: str, check, **request: Any) -> Any:
        url, role = self._fresh()
        client, headers = _client(self.app, self.world, role, api=self.page.is_api)
        before = _snapshot()
        try:
            response = client.open(
                url, method=self.method, headers=headers | request.pop("headers", {}), **request
            )
        except Exception as exc:  # TestConfig lets an unhandled error through: a 500
            db.session.rollback()
            self.problems[case] = f"500: {type(exc).__name__}: {str(exc)[:200]}"
            self.target = None
            return None
        after = _snapshot()
        if (problem := check(response, before, after)) is not None:
            self.problems[case] = problem
        if response.status_code < 400:
            self.target = None  # it changed: the next case gets a fresh one
        return response


# ---------------------------------------------------------------- the matrix's own lists


def test_the_matrix_finds_actions_of_both_kinds():
    assert len(HTML_ACTIONS) > 40, "discovery is broken"
    assert len(API_ACTIONS) > 20, "discovery is broken"


def test_every_listed_action_exists_so_no_entry_goes_stale():
    endpoints = {page.endpoint for page, _method in ACTIONS}
    names = {_action_name(endpoint) for endpoint in endpoints}
    listed = NO_FIELDS | NO_FORM | set(KNOWN_DEFECTS) | set(FORM_PAGES)
    assert listed - endpoints == set()
    assert set(SCENARIOS) - names == set()


# ---------------------------------------------------------------- HTML forms


def _form_pages(page, url: str, target: Target) -> list[str]:
    """Where the action's form may be: FORM_PAGES, its own address, the pages above."""
    candidates = []
    if page.endpoint in FORM_PAGES:
        candidates.append(FORM_PAGES[page.endpoint](target.objects))
    candidates.append(url)  # a form page at the same address (another endpoint's GET)
    parts = url.rstrip("/").split("/")
    candidates += ["/".join(parts[:i]) or "/" for i in range(len(parts) - 1, 0, -1)]
    return candidates


def _forms_on(client, page, url: str, target: Target) -> list[Form]:
    """The distinct forms that post to `url`, from the first page that shows any."""
    path = urlsplit(url).path
    for candidate in _form_pages(page, url, target):
        if candidate in FORM_SOURCES:
            response = FORM_SOURCES[candidate](client, target.objects)
        else:
            response = client.get(candidate)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        forms: dict[tuple[str, ...], Form] = {}
        for form in read_forms(response.get_data(as_text=True), candidate):
            if form.path == path:
                forms.setdefault(form.shape(), form)
        if forms:
            return list(forms.values())
    return []


def _roles_to_try(page, world: World, target: Target, url_objects) -> list[Any]:
    if page.is_public and page.allowed_roles is None and not page.signed_in_only:
        return [ANONYMOUS, Role.MANAGER]  # e.g. signing out needs someone signed in
    roles = page.allowed_roles if page.allowed_roles is not None else set(Role)
    return [
        role
        for role in ROLE_PREFERENCE
        if role in roles
        and all(
            _in_scope(db.session, model, obj, world.users[role])
            for model, obj in url_objects.items()
        )
    ]


@pytest.mark.parametrize(("page", "method"), HTML_ACTIONS, ids=lambda v: str(v))
def test_html_action_refuses_bad_input_clearly_and_stores_nothing(app, world, page, method):
    """Each role that may act, in ROLE_PREFERENCE order, until one sees the form."""
    runner = Runner(app, world, page, method)
    url, _role_unused = runner._fresh()
    forms: list[Form] = []
    for role in _roles_to_try(page, world, runner.target, runner.url_objects):
        client, _headers = _client(app, world, role, api=False)
        if forms := _forms_on(client, page, url, runner.target):
            runner.role = role
            break
    if page.endpoint in NO_FORM:
        assert not forms, f"{page.endpoint} has a form now: remove it from NO_FORM"
        forms = [Form(action=url)]
        runner.role = runner.role or _role(page, world, runner.url_objects)
    assert forms, f"no form posting to {url} found on its page or the pages above it"
    if page.endpoint in NO_FIELDS:
        assert all(not f.editable() for f in forms), f"{page.endpoint} has fields now"
    elif page.endpoint not in NO_FORM:
        assert any(f.editable() for f in forms), f"{page.endpoint} has no fields: NO_FIELDS?"
    runner.send("missing fields", _html_problem, data={})
    seen: dict[int, list[Form]] = {runner.generation: forms}

    def form_now(number: int) -> Form:
        """The form as the current target shows it: after an accepted request the target
        is new, and field names may carry its ids (the attendance sheet's do)."""
        url, _role = runner._fresh()
        if runner.generation not in seen and page.endpoint not in NO_FORM:
            client, _headers = _client(app, world, runner.role, api=False)
            seen[runner.generation] = _forms_on(client, page, url, runner.target) or forms
        current = seen.get(runner.generation, forms)
        return current[number] if number < len(current) else forms[number]

    for number in range(len(forms)):
        for case, value in FORM_VALUES.items():
            form = form_now(number)
            every = form.editable() or ["unexpected"]
            # Every field at once, as a script could send it…
            runner.send(f"form {number}: all fields {case}", _html_problem,
                        data=MultiDict(form.data(value, every)))  # fmt: skip
            # …and the typed fields only, so the form's own choices reach validation.
            form = form_now(number)
            if form.typed() and form.typed() != (form.editable() or ["unexpected"]):
                runner.send(f"form {number}: typed fields {case}", _html_problem,
                            data=MultiDict(form.data(value, form.typed())))  # fmt: skip
        for case, raw in FORM_BYTES.items():
            form = form_now(number)
            names = form.typed() or form.editable() or ["unexpected"]
            runner.send(f"form {number}: {case}", _html_problem,
                        data=urlencode([(name, raw) for name in names]),
                        content_type="application/x-www-form-urlencoded")  # fmt: skip
    _settle(runner)


# ---------------------------------------------------------------- JSON API


def _openapi_document() -> dict[str, Any]:
    app = _discovery_app()
    with app.app_context():
        return app.test_client().get("/api/v1/openapi.json").get_json()


OPENAPI = _openapi_document()


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = OPENAPI["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged |= _resolve(part)
        return merged
    return schema


def _operation(page, method: str) -> dict[str, Any] | None:
    path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", page.rule)
    return OPENAPI["paths"].get(path, {}).get(method.lower())


def _request_schema(page, method: str) -> dict[str, Any] | None:
    operation = _operation(page, method) or {}
    body = operation.get("requestBody")
    if not body:
        return None
    return _resolve(body["content"]["application/json"]["schema"])


def _plausible(schema: dict[str, Any]) -> Any:
    """A value of the documented type (not necessarily one the rules accept)."""
    schema = _resolve(schema)
    if "example" in schema:
        return schema["example"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object":
        return {name: _plausible(prop) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [_plausible(schema.get("items", {}))]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(schema.get("minimum", 1)), 1.0)
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "date":
        return (clock.today() + timedelta(days=7)).isoformat()
    if fmt == "date-time":
        return (clock.now() + timedelta(days=7)).isoformat()
    if fmt == "time":
        return "09:00"
    if fmt == "email":
        return "someone@example.org"
    return "Testi"


def _json(body: Any) -> dict[str, Any]:
    return {"data": json.dumps(body), "content_type": "application/json"}


@pytest.mark.parametrize(("page", "method"), API_ACTIONS, ids=lambda v: str(v))
def test_api_action_answers_bad_bodies_with_a_problem_and_stores_nothing(app, world, page, method):
    assert _operation(page, method) is not None, "not in the OpenAPI document"
    runner = Runner(app, world, page, method)
    for case, raw, content_type in RAW_BODIES:
        if case == "deep-nesting":
            continue  # its own test below
        headers = {"Content-Type": content_type} if content_type else {}
        runner.send(case, _api_problem, data=raw, headers=headers)
    runner.send("unknown property", _api_problem, **_json({"surely_not_a_field": 1}))
    runner.send("every property missing", _api_problem, **_json({}))
    _settle(runner)


@pytest.mark.parametrize(("page", "method"), API_ACTIONS, ids=lambda v: str(v))
def test_api_action_answers_deeply_nested_json_with_a_problem(app, world, page, method):
    runner = Runner(app, world, page, method)
    deep = next(raw for case, raw, _type in RAW_BODIES if case == "deep-nesting")
    runner.send("deep-nesting", _api_problem, data=deep, content_type="application/json")
    _settle(runner)


# Actions with a documented body: each property gets each wrong type in turn.
API_BODY_ACTIONS = [
    (p, m) for p, m in API_ACTIONS if (_request_schema(p, m) or {}).get("properties")
]


@pytest.mark.parametrize(("page", "method"), API_BODY_ACTIONS, ids=lambda v: str(v))
def test_api_action_answers_each_wrong_property_type_with_a_problem(app, world, page, method):
    schema = _request_schema(page, method)
    plausible = _plausible(schema)
    runner = Runner(app, world, page, method)
    for name in schema["properties"]:
        for case, wrong in JSON_WRONG_TYPES.items():
            runner.send(f"{name}={case}", _api_problem, **_json(plausible | {name: wrong}))
    _settle(runner)
