"""The role × page access matrix, discovered from the app's URL map.

Every URL rule is found dynamically, so a page added tomorrow is checked too:
- a page guarded by `jobcenter.core.authz.require_roles` admits exactly its roles
  (200 or a redirect), answers every other role with 403, and sends anonymous
  visitors to the sign-in page (the API answers 401);
- a page guarded by `login_required` is open to every role and closed to anonymous
  visitors;
- every other page must be on the short PUBLIC_ENDPOINTS list below, so a future
  page without access control fails here.

Pages that take an object id are opened on objects of one small "world" where each
role owns something (the unit contact's unit, the instructor's group, the
participant's own assignment…): an allowed role gets the page when the object is in
its row scope and 404 when it is not. Actions (POST, PATCH…) are only tried by
roles that are refused, so nothing is changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_login import login_required
from werkzeug.routing import BaseConverter, IntegerConverter, Rule

from jobcenter import create_app
from jobcenter.accounts.models import User
from jobcenter.accounts.operations import create_api_token
from jobcenter.catalog.models import District, Skill, TaskKind
from jobcenter.config import TestConfig
from jobcenter.core import authz
from jobcenter.core.enums import Role
from jobcenter.participants.models import Group, Instructor, Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift
from jobcenter.units.models import Task, TaskStatus, Unit
from tests import factories

# Pages anyone may open without signing in. Keep this list short and explicit.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "home.landing",  # sends people to sign-in or to their home page
        "home.healthz",  # load balancer probe
        "home.set_language",  # the language switcher works before signing in
        "accounts.login",
        "accounts.logout",  # signing out when already signed out just shows sign-in
        "accounts.forgot_password",
        "accounts.reset_password",  # the e-mailed one-time token is the credential
        "accounts.sign_in_with_link",  # the printed or sent one-time token is the credential
        "api.openapi_document",
        "calendar.feed",  # the long secret in the address is the credential (calendar apps)
    }
)

ACTION_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ANONYMOUS = "anonymous"

# Which model a URL parameter names: by the path segment before it, else by its name.
SEGMENT_MODELS: dict[str, type] = {
    "units": Unit,
    "tasks": Task,
    "shifts": Shift,
    "assignments": Assignment,
    "participants": Participant,
    "groups": Group,
    "instructors": Instructor,
    "users": User,
    "skills": Skill,
    "task-kinds": TaskKind,
    "districts": District,
}
PARAM_MODELS: dict[str, type] = {
    "unit_id": Unit,
    "task_id": Task,
    "shift_id": Shift,
    "assignment_id": Assignment,
    "participant_id": Participant,
    "group_id": Group,
    "instructor_id": Instructor,
    "user_id": User,
    "skill_id": Skill,
    "task_kind_id": TaskKind,
    "district_id": District,
}
# String parameters with a value that names something real.
STRING_VALUES = {"role": Role.PARTICIPANT.value}


def _discovery_app() -> Flask:
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    return create_app(config | {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


_LOGIN_REQUIRED_CODE = login_required(lambda: None).__code__


def _is_login_required(view: Any) -> bool:
    while view is not None:
        if getattr(view, "__code__", None) is _LOGIN_REQUIRED_CODE:
            return True
        view = getattr(view, "__wrapped__", None)
    return False


@dataclass(frozen=True)
class Page:
    rule: str
    endpoint: str
    methods: tuple[str, ...]
    allowed_roles: frozenset[Role] | None
    signed_in_only: bool
    arguments: tuple[str, ...]
    int_arguments: frozenset[str]

    @property
    def is_api(self) -> bool:
        return self.rule.startswith("/api/")

    @property
    def is_public(self) -> bool:
        return self.endpoint in PUBLIC_ENDPOINTS

    def __str__(self) -> str:
        return self.endpoint


def _takes_ids(converter: BaseConverter) -> bool:
    """int, or a custom converter (like the API's db_id) that matches numbers only."""
    if isinstance(converter, IntegerConverter):
        return True
    return bool(re.fullmatch(converter.regex, "1")) and not re.fullmatch(converter.regex, "x")


def _discover() -> list[Page]:
    app = _discovery_app()
    pages = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        allowed = getattr(view, "allowed_roles", None)
        pages.append(
            Page(
                rule=rule.rule,
                endpoint=rule.endpoint,
                methods=tuple(sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})),
                allowed_roles=frozenset(allowed) if allowed is not None else None,
                signed_in_only=_is_login_required(view),
                arguments=tuple(sorted(rule.arguments)),
                int_arguments=frozenset(
                    name for name, converter in rule._converters.items() if _takes_ids(converter)
                ),
            )
        )
    return sorted(pages, key=lambda page: (page.endpoint, page.rule))


PAGES = _discover()
ROLE_PAGES = [p for p in PAGES if p.allowed_roles is not None]
PROTECTED_PAGES = [p for p in PAGES if not p.is_public]
ROLES = list(Role)


def _cases(pages, methods) -> list[Any]:
    return [
        pytest.param(page, method, id=f"{page.endpoint}-{method}")
        for page in pages
        for method in page.methods
        if method in methods
    ]


# Building URLs and the world they point into.


@dataclass
class World:
    users: dict[Role, User]
    tokens: dict[Role, str]
    objects: dict[type, Any]


@pytest.fixture
def world(session, reference_data) -> World:
    unit = factories.make_unit()
    contact = factories.make_unit_contact(unit=unit)
    instructor = factories.make_instructor()
    group = factories.make_group(instructor=instructor)
    participant = factories.make_participant(group=group)
    task = factories.make_task(unit=unit, group=group, status=TaskStatus.ACCEPTED)
    shift = factories.make_shift(task=task, instructor=instructor)
    assignment = factories.make_assignment(shift, participant, AssignmentStatus.CONFIRMED)
    users = {
        Role.ADMIN: factories.make_admin(),
        Role.MANAGER: factories.make_manager(),
        Role.INSTRUCTOR: instructor.user,
        Role.UNIT_CONTACT: contact,
        Role.PARTICIPANT: participant.user,
    }
    tokens = {role: create_api_token(session, user)[1] for role, user in users.items()}
    objects = {
        Unit: unit,
        Task: task,
        Shift: shift,
        Assignment: assignment,
        Participant: participant,
        Group: group,
        Instructor: instructor,
        User: participant.user,
        Skill: session.scalars(sa.select(Skill).where(Skill.is_active).limit(1)).one(),
        TaskKind: task.task_kind,
        District: session.scalars(sa.select(District).limit(1)).one(),
    }
    session.commit()
    return World(users=users, tokens=tokens, objects=objects)


def _model_for(page: Page, argument: str) -> type | None:
    segments = page.rule.split("/")
    for index, segment in enumerate(segments):
        if segment.startswith("<") and segment.rstrip(">").split(":")[-1] == argument:
            before = segments[index - 1] if index else ""
            if before in SEGMENT_MODELS:
                return SEGMENT_MODELS[before]
    return PARAM_MODELS.get(argument)


def _dummy_url(app: Flask, page: Page) -> str:
    """Any URL of the rule: enough for checks that happen before the view looks at it."""
    values = {name: (1 if name in page.int_arguments else "x") for name in page.arguments}
    return _build(app, page, values)


def _build(app: Flask, page: Page, values: dict[str, Any]) -> str:
    rule: Rule = next(
        r for r in app.url_map.iter_rules() if r.endpoint == page.endpoint and r.rule == page.rule
    )
    built = rule.build(values, append_unknown=False)
    assert built is not None, f"cannot build {page.rule} from {values}"
    return built[1]


def _real_url(app: Flask, page: Page, world: World) -> tuple[str, dict[type, Any]] | None:
    """A URL on objects of the world, with the objects used; None when one cannot be named."""
    values: dict[str, Any] = {}
    used: dict[type, Any] = {}
    for name in page.arguments:
        if name in page.int_arguments:
            model = _model_for(page, name)
            if model is None or model not in world.objects:
                return None
            used[model] = world.objects[model]
            values[name] = used[model].id
        elif name in STRING_VALUES:
            values[name] = STRING_VALUES[name]
        else:
            return None
    return _build(app, page, values), used


def _in_scope(session, model: type, obj: Any, user: User) -> bool:
    try:
        stmt = authz.scope(sa.select(model.id).where(model.id == obj.id), model, user)
    except LookupError:
        return True  # no row scope: the role check alone decides
    return session.scalar(stmt) is not None


def _request(app: Flask, page: Page, method: str, url: str, world: World, role) -> Any:
    """One request as `role` (or ANONYMOUS) from a fresh browser or API client."""
    from flask import g

    from tests.conftest import login_as

    # The test holds an app context open and requests share it: forget the user and
    # language that an earlier request cached in `g`.
    for cached in ("_login_user", "_flask_babel"):
        g.pop(cached, None)
    client = app.test_client()
    headers = {}
    if role != ANONYMOUS:
        if page.is_api:
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        else:
            login_as(client, world.users[role])
    response = client.open(url, method=method, headers=headers)
    response.close()
    return response


def _sent_to_sign_in(response) -> bool:
    from urllib.parse import urlsplit

    return response.status_code in (302, 303) and urlsplit(
        response.headers.get("Location", "")
    ).path.startswith("/login")


def _refused_anonymous(page: Page, response) -> str | None:
    """None when an anonymous visitor was turned away the right way, else what happened."""
    if page.is_api:
        if response.status_code == 401 and response.mimetype == "application/problem+json":
            return None
    elif _sent_to_sign_in(response):
        return None
    return f"{response.status_code} {response.headers.get('Location', '')}".strip()


def _got_the_page(response) -> bool:
    if response.status_code == 200:
        return True
    return 300 <= response.status_code < 400 and not _sent_to_sign_in(response)


# The matrix.


def test_the_app_has_pages_to_check():
    assert ROLE_PAGES, "no page is guarded by require_roles: discovery is broken"


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_every_page_is_guarded_or_explicitly_public(page):
    guarded = page.allowed_roles is not None or page.signed_in_only
    assert guarded or page.is_public, (
        f"{page.endpoint} ({page.rule}) has no access control: decorate it with "
        "jobcenter.core.authz.require_roles or flask_login.login_required, or add it to "
        "PUBLIC_ENDPOINTS if anyone may really open it without signing in"
    )


@pytest.mark.parametrize("page", ROLE_PAGES, ids=str)
def test_role_guarded_page_admits_at_least_one_known_role(page):
    assert page.allowed_roles, f"{page.endpoint} admits no role at all"
    assert page.allowed_roles <= set(Role)


@pytest.mark.parametrize(("page", "method"), _cases(ROLE_PAGES, ("GET",)))
def test_role_guarded_page_admits_exactly_its_roles(app, session, world, page, method):
    """Allowed roles get the page (404 for objects outside their row scope), other
    roles get 403, anonymous visitors are sent to sign in."""
    wrong: dict[str, str] = {}
    built = _real_url(app, page, world)
    for role in ROLES:
        if role not in page.allowed_roles:
            response = _request(app, page, method, _dummy_url(app, page), world, role)
            if response.status_code != 403:
                wrong[role] = f"expected 403, got {response.status_code}"
            continue
        if built is None:
            continue  # no simple object to open the page with: the refusals are still checked
        url, used = built
        response = _request(app, page, method, url, world, role)
        user = world.users[role]
        if all(_in_scope(session, model, obj, user) for model, obj in used.items()):
            if not _got_the_page(response):
                wrong[role] = f"expected the page at {url}, got {response.status_code}"
        elif response.status_code != 404:
            wrong[role] = f"expected 404 outside the row scope, got {response.status_code}"
    response = _request(app, page, method, _dummy_url(app, page), world, ANONYMOUS)
    if (problem := _refused_anonymous(page, response)) is not None:
        wrong[ANONYMOUS] = f"expected sign-in, got {problem}"
    assert wrong == {}, f"{page.rule}"


@pytest.mark.parametrize(("page", "method"), _cases(ROLE_PAGES, ACTION_METHODS))
def test_role_guarded_action_refuses_other_roles_and_anonymous(app, world, page, method):
    wrong: dict[str, str] = {}
    url = _dummy_url(app, page)
    for role in ROLES:
        if role in page.allowed_roles:
            continue  # trying it would change data
        response = _request(app, page, method, url, world, role)
        if response.status_code != 403:
            wrong[role] = f"expected 403, got {response.status_code}"
    response = _request(app, page, method, url, world, ANONYMOUS)
    if (problem := _refused_anonymous(page, response)) is not None:
        wrong[ANONYMOUS] = f"expected sign-in, got {problem}"
    assert wrong == {}, f"{method} {page.rule}"


SIGNED_IN_PAGES = [p for p in PAGES if p.signed_in_only and p.allowed_roles is None]


@pytest.mark.parametrize(
    ("page", "method"), _cases([p for p in SIGNED_IN_PAGES if not p.arguments], ("GET",))
)
def test_signed_in_page_is_open_to_every_role_and_closed_to_anonymous(app, world, page, method):
    wrong: dict[str, str] = {}
    url = _dummy_url(app, page)
    for role in ROLES:
        response = _request(app, page, method, url, world, role)
        if not _got_the_page(response):
            wrong[role] = f"expected the page, got {response.status_code}"
    response = _request(app, page, method, url, world, ANONYMOUS)
    if (problem := _refused_anonymous(page, response)) is not None:
        wrong[ANONYMOUS] = f"expected sign-in, got {problem}"
    assert wrong == {}, page.rule


@pytest.mark.parametrize(
    ("page", "method"),
    [
        case
        for case in _cases(SIGNED_IN_PAGES, ("GET", *ACTION_METHODS))
        if case.values[1] != "GET" or case.values[0].arguments
    ],
)
def test_signed_in_action_sends_anonymous_visitor_to_sign_in(app, world, page, method):
    response = _request(app, page, method, _dummy_url(app, page), world, ANONYMOUS)
    assert _refused_anonymous(page, response) is None


@pytest.mark.parametrize(("page", "method"), _cases([p for p in PAGES if p.is_public], ("GET",)))
def test_public_page_answers_anonymous_visitors_without_error(app, world, page, method):
    url = "/static/css/app.css" if page.endpoint == "static" else _dummy_url(app, page)
    response = _request(app, page, method, url, world, ANONYMOUS)
    assert response.status_code < 500
    assert response.status_code not in (401, 403)
