"""Admin pages: users and groups, units, skills, task kinds, stream rules and rates.

Every page is for administrators only. Views parse the form, call one operation,
commit once, and re-render with status 422 and the messages when input is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobcenter.accounts import management
from jobcenter.accounts.models import User
from jobcenter.admin import labels, queries
from jobcenter.admin.forms import (
    USER_FORMS,
    GroupForm,
    ParticipantForm,
    PersonForm,
    RateForm,
    SkillForm,
    StreamRuleForm,
    TaskKindForm,
    UnitFilterForm,
    UnitForm,
    UserFilterForm,
    options,
)
from jobcenter.catalog import operations as catalog
from jobcenter.catalog.models import RateKind, Skill, TaskKind
from jobcenter.core import audit, clock
from jobcenter.core.authz import get_visible, require_roles
from jobcenter.core.enums import Role, Stream
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.core.i18n import short_date
from jobcenter.extensions import db
from jobcenter.participants.models import Preference
from jobcenter.units import operations as units
from jobcenter.units.models import Unit

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 25


@bp.context_processor
def admin_helpers() -> dict[str, Any]:
    return {
        "labels": labels,
        "label": labels.label,
        "format_euros": labels.format_euros,
        "last_valid_day": labels.last_valid_day,
        "format_percent_value": labels.format_percent_value,
    }


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _refused(form: Any, exc: ValidationFailed, template: str, **context: Any) -> Any:
    """Nothing is kept; the messages go beside their fields (or on top of the form)."""
    db.session.rollback()
    for name, messages in exc.errors.items():
        if name in form:
            form[name].errors = [*form[name].errors, *messages]
        else:
            form.form_errors.extend(messages)
    return render_template(template, form=form, **context), 422


def _invalid(template: str, form: Any, **context: Any) -> Any:
    return render_template(template, form=form, **context), 422


def _done(message: str, endpoint: str, **values: Any) -> Any:
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values), code=303)


def _refuse_action(exc: DomainError, endpoint: str, **values: Any) -> Any:
    db.session.rollback()
    flash(exc.message, "error")
    return redirect(url_for(endpoint, **values), code=303)


# ================================================================= users


@bp.get("/users")
@require_roles(Role.ADMIN)
def users():
    form = UserFilterForm(request.args)
    form.validate()
    stmt = queries.users_query(form.role.data, form.q.data, form.status.data)
    page = db.paginate(stmt, page=_page_number(), per_page=PAGE_SIZE, error_out=False)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/users/list.html", form=form, page=page, filters=filters)


@bp.get("/users/new")
@require_roles(Role.ADMIN)
def user_new():
    return render_template("admin/users/choose_role.html", roles=list(Role))


def _role_or_404(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        abort(404)


def _user_form_choices(form: PersonForm, user: User | None = None) -> None:
    session = db.session
    if "unit_id" in form:
        form.unit_id.choices = options(
            [
                ("", _("Choose a unit")),
                *queries.unit_choices(session, keep=user.unit_id if user else None),
            ]
        )
    if isinstance(form, ParticipantForm):
        plan = None
        if user is not None and user.participant is not None:
            plan = management.editable_plan(user.participant)
        skills = {s.id for s in plan.skills} if plan else set()
        kinds = {p.task_kind_id for p in plan.task_kind_preferences} if plan else set()
        form.group_id.choices = options(
            [("", _("Choose a group")), *queries.group_choices(session)]
        )
        form.skill_ids.choices = options(queries.catalogue_choices(session, Skill, skills))
        kind_choices = options(queries.catalogue_choices(session, TaskKind, kinds))
        form.preferred_task_kind_ids.choices = kind_choices
        form.avoided_task_kind_ids.choices = kind_choices
        form.home_district_id.choices = options(
            [("", _("Not given")), *queries.district_choices(session)]
        )


def _user_form_context(role: Role) -> dict[str, Any]:
    context: dict[str, Any] = {"role": role}
    if role == Role.PARTICIPANT:
        today = clock.today()
        context["rules_today"] = [
            (stream, catalog.stream_rule_in_force(db.session, stream, today)) for stream in Stream
        ]
    return context


@bp.route("/users/new/<role>", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def user_create(role: str):
    role = _role_or_404(role)
    form = USER_FORMS[role]()
    _user_form_choices(form)
    template = "admin/users/form.html"
    context = _user_form_context(role) | {"user": None}
    if request.method == "GET" and isinstance(form, ParticipantForm):
        form.supervision_level.data = 2
    if request.method == "GET":
        return render_template(template, form=form, **context)
    if not form.validate():
        return _invalid(template, form, **context)
    plan = form.plan_values() if isinstance(form, ParticipantForm) else None
    try:
        user = management.create_user(db.session, role=role, plan=plan, **form.person_values())
    except ValidationFailed as exc:
        return _refused(form, exc, template, **context)
    return _done(
        _("%(name)s was added.", name=user.full_name), "admin.user_detail", user_id=user.id
    )


def _audit_participant_view(user: User) -> None:
    if user.participant is not None:
        audit.record("participant_viewed", user, participant_id=user.participant.id)
        db.session.commit()


@bp.get("/users/<int:user_id>")
@require_roles(Role.ADMIN)
def user_detail(user_id: int):
    user = get_visible(User, user_id, current_user)
    participant = queries.participant_with_plans(db.session, user)
    _audit_participant_view(user)
    preferences: dict[str, list[Any]] = {"prefer": [], "avoid": []}
    plan = management.editable_plan(participant) if participant else None
    if plan is not None:
        for pref in plan.task_kind_preferences:
            key = "prefer" if pref.preference == Preference.PREFER else "avoid"
            preferences[key].append(pref.task_kind)
    groups = user.instructor.groups if user.instructor is not None else []
    return render_template(
        "admin/users/detail.html",
        user=user,
        participant=participant,
        plan=plan,
        preferences=preferences,
        groups=groups,
        is_self=user.id == current_user.id,
    )


def _user_form_data(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "locale": str(user.locale),
        "unit_id": user.unit_id,
    }
    if user.instructor is not None:
        data["supervision_capacity"] = user.instructor.supervision_capacity
        data["streams"] = [s.value for s in user.instructor.streams]
    participant = user.participant
    if participant is not None:
        data["group_id"] = participant.group_id
        data["stream"] = participant.stream.value
        data["instructor_confirms"] = participant.instructor_confirms
        plan = management.editable_plan(participant)
        if plan is not None:
            for field in (
                "start_date",
                "end_date",
                "days_per_week",
                "min_minutes_per_day",
                "max_minutes_per_day",
                "weekly_target_minutes",
                "supervision_level",
                "home_district_id",
                "monthly_earnings_ceiling_cents",
                "daily_allowance_cents",
            ):
                data[field] = getattr(plan, field)
            data["skill_ids"] = [s.id for s in plan.skills]
            prefs = plan.task_kind_preferences
            data["preferred_task_kind_ids"] = [
                p.task_kind_id for p in prefs if p.preference == Preference.PREFER
            ]
            data["avoided_task_kind_ids"] = [
                p.task_kind_id for p in prefs if p.preference == Preference.AVOID
            ]
    return data


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def user_edit(user_id: int):
    user = get_visible(User, user_id, current_user)
    form_cls = USER_FORMS[user.role]
    form = form_cls(data=_user_form_data(user)) if request.method == "GET" else form_cls()
    _user_form_choices(form, user)
    template = "admin/users/form.html"
    context = _user_form_context(user.role) | {"user": user}
    if request.method == "GET":
        _audit_participant_view(user)
        return render_template(template, form=form, **context)
    if not form.validate():
        return _invalid(template, form, **context)
    plan = form.plan_values() if isinstance(form, ParticipantForm) else None
    try:
        management.update_user(db.session, user, plan=plan, **form.person_values())
    except ValidationFailed as exc:
        return _refused(form, exc, template, **context)
    return _done(_("The changes were saved."), "admin.user_detail", user_id=user.id)


@bp.post("/users/<int:user_id>/deactivate")
@require_roles(Role.ADMIN)
def user_deactivate(user_id: int):
    user = get_visible(User, user_id, current_user)
    try:
        management.deactivate_user(db.session, user, actor=current_user)
    except DomainError as exc:
        return _refuse_action(exc, "admin.user_detail", user_id=user.id)
    return _done(
        _("%(name)s was deactivated and can no longer sign in.", name=user.full_name),
        "admin.user_detail",
        user_id=user.id,
    )


@bp.post("/users/<int:user_id>/reactivate")
@require_roles(Role.ADMIN)
def user_reactivate(user_id: int):
    user = get_visible(User, user_id, current_user)
    management.reactivate_user(db.session, user)
    return _done(
        _("%(name)s can sign in again.", name=user.full_name),
        "admin.user_detail",
        user_id=user.id,
    )


# ================================================================= groups


@bp.route("/groups", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def groups():
    form = GroupForm()
    if request.method == "GET" and request.args.get("instructor", "").isdigit():
        form.instructor_id.data = int(request.args["instructor"])
    form.instructor_id.choices = options(
        [("", _("Choose an instructor")), *queries.instructor_choices(db.session)]
    )
    template = "admin/groups.html"

    def context() -> dict[str, Any]:
        return {"rows": queries.groups_overview(db.session)}

    if request.method == "GET":
        return render_template(template, form=form, **context())
    if not form.validate():
        return _invalid(template, form, **context())
    try:
        group = management.create_group(
            db.session, name=form.name.data, instructor_id=form.instructor_id.data
        )
    except ValidationFailed as exc:
        return _refused(form, exc, template, **context())
    return _done(_("The group %(name)s was added.", name=group.name), "admin.groups")


# ================================================================= units


@bp.get("/units", endpoint="units")
@require_roles(Role.ADMIN)
def units_list():
    form = UnitFilterForm(request.args)
    form.validate()
    stmt = queries.units_query(form.q.data, form.status.data)
    page = db.paginate(stmt, page=_page_number(), per_page=PAGE_SIZE, error_out=False)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/units/list.html", form=form, page=page, filters=filters)


def _unit_choices(form: UnitForm) -> None:
    form.district_id.choices = options(
        [("", _("Not given")), *queries.district_choices(db.session)]
    )


@bp.route("/units/new", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def unit_create():
    form = UnitForm()
    _unit_choices(form)
    template = "admin/units/form.html"
    if request.method == "GET":
        return render_template(template, form=form, unit=None)
    if not form.validate():
        return _invalid(template, form, unit=None)
    try:
        unit = units.create_unit(db.session, **form.values())
    except ValidationFailed as exc:
        return _refused(form, exc, template, unit=None)
    return _done(_("The unit %(name)s was added.", name=unit.name), "admin.units")


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def unit_edit(unit_id: int):
    unit = get_visible(Unit, unit_id, current_user)
    form = UnitForm(obj=unit) if request.method == "GET" else UnitForm()
    if request.method == "GET":
        form.kind.data = unit.kind.value
    _unit_choices(form)
    template = "admin/units/form.html"
    if request.method == "GET":
        return render_template(template, form=form, unit=unit)
    if not form.validate():
        return _invalid(template, form, unit=unit)
    try:
        units.update_unit(db.session, unit, **form.values())
    except ValidationFailed as exc:
        return _refused(form, exc, template, unit=unit)
    return _done(_("The changes were saved."), "admin.units")


@bp.post("/units/<int:unit_id>/deactivate")
@require_roles(Role.ADMIN)
def unit_deactivate(unit_id: int):
    unit = get_visible(Unit, unit_id, current_user)
    try:
        units.deactivate_unit(db.session, unit)
    except DomainError as exc:
        return _refuse_action(exc, "admin.unit_edit", unit_id=unit.id)
    return _done(_("The unit %(name)s was deactivated.", name=unit.name), "admin.units")


@bp.post("/units/<int:unit_id>/reactivate")
@require_roles(Role.ADMIN)
def unit_reactivate(unit_id: int):
    unit = get_visible(Unit, unit_id, current_user)
    units.reactivate_unit(db.session, unit)
    return _done(_("The unit %(name)s is active again.", name=unit.name), "admin.units")


# ================================================================= skills and task kinds


class _Catalogue:
    """Skills and task kinds work the same way; only these details differ."""

    def __init__(
        self,
        *,
        name: str,
        model: type,
        form: type[SkillForm],
        create: Callable[..., Any],
        update: Callable[..., Any],
        title: Any,
        new_title: Any,
        edit_title: Any,
    ):
        self.name, self.model, self.form = name, model, form
        self.create, self.update = create, update
        self.title, self.new_title, self.edit_title = title, new_title, edit_title

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"catalogue": self} | extra

    def list_view(self):
        rows = queries.catalogue(db.session, self.model)
        return render_template("admin/catalog/list.html", rows=rows, **self.context())

    def create_view(self):
        form = self.form()
        template = "admin/catalog/form.html"
        context = self.context(row=None)
        if request.method == "GET":
            if "icon" in form:
                form.icon.data = "task"
            return render_template(template, form=form, **context)
        if not form.validate():
            return _invalid(template, form, **context)
        try:
            row = self.create(db.session, **form.values())
        except ValidationFailed as exc:
            return _refused(form, exc, template, **context)
        return _done(_("%(name)s was added.", name=row.name()), f"admin.{self.name}")

    def edit_view(self, row_id: int):
        row = get_visible(self.model, row_id, current_user)
        form = self.form(obj=row) if request.method == "GET" else self.form()
        template = "admin/catalog/form.html"
        context = self.context(row=row)
        if request.method == "GET":
            return render_template(template, form=form, **context)
        if not form.validate():
            return _invalid(template, form, **context)
        try:
            self.update(db.session, row, **form.values())
        except ValidationFailed as exc:
            return _refused(form, exc, template, **context)
        return _done(_("The changes were saved."), f"admin.{self.name}")

    def set_active_view(self, row_id: int, active: bool):
        row = get_visible(self.model, row_id, current_user)
        catalog.set_active(db.session, row, active)
        message = (
            _("%(name)s is in use again.", name=row.name())
            if active
            else _(
                "%(name)s was deactivated. It is no longer offered for new plans or tasks.",
                name=row.name(),
            )
        )
        return _done(message, f"admin.{self.name}")

    def register(self, singular: str, path: str) -> None:
        admin_only = require_roles(Role.ADMIN)
        bp.add_url_rule(f"/{path}", self.name, admin_only(self.list_view))
        bp.add_url_rule(
            f"/{path}/new",
            f"{singular}_create",
            admin_only(self.create_view),
            methods=["GET", "POST"],
        )
        bp.add_url_rule(
            f"/{path}/<int:row_id>/edit",
            f"{singular}_edit",
            admin_only(self.edit_view),
            methods=["GET", "POST"],
        )
        bp.add_url_rule(
            f"/{path}/<int:row_id>/deactivate",
            f"{singular}_deactivate",
            admin_only(lambda row_id: self.set_active_view(row_id, False)),
            methods=["POST"],
        )
        bp.add_url_rule(
            f"/{path}/<int:row_id>/reactivate",
            f"{singular}_reactivate",
            admin_only(lambda row_id: self.set_active_view(row_id, True)),
            methods=["POST"],
        )
        self.singular = singular


SKILLS = _Catalogue(
    name="skills",
    model=Skill,
    form=SkillForm,
    create=catalog.create_skill,
    update=catalog.update_skill,
    title=labels.CATALOGUE_TITLES["skills"],
    new_title=labels.CATALOGUE_TITLES["skill_new"],
    edit_title=labels.CATALOGUE_TITLES["skill_edit"],
)
TASK_KINDS = _Catalogue(
    name="task_kinds",
    model=TaskKind,
    form=TaskKindForm,
    create=catalog.create_task_kind,
    update=catalog.update_task_kind,
    title=labels.CATALOGUE_TITLES["task_kinds"],
    new_title=labels.CATALOGUE_TITLES["task_kind_new"],
    edit_title=labels.CATALOGUE_TITLES["task_kind_edit"],
)
SKILLS.register("skill", "skills")
TASK_KINDS.register("task_kind", "task-kinds")


# ================================================================= stream rules


@bp.get("/stream-rules")
@require_roles(Role.ADMIN)
def stream_rules():
    today = clock.today()
    streams = [
        {
            "stream": stream,
            "versions": catalog.stream_rule_versions(db.session, stream),
            "in_force": catalog.stream_rule_in_force(db.session, stream, today),
        }
        for stream in Stream
    ]
    return render_template("admin/stream_rules/list.html", streams=streams, today=today)


@bp.route("/stream-rules/new", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def stream_rule_create():
    template = "admin/stream_rules/form.html"
    if request.method == "GET":
        stream = request.args.get("stream", Stream.REHABILITATIVE.value)
        current = None
        if stream in {s.value for s in Stream}:
            current = catalog.stream_rule_in_force(db.session, Stream(stream), clock.today())
        form = StreamRuleForm(obj=current)
        form.stream.data = stream if stream in {s.value for s in Stream} else None
        form.valid_from.data = None
        return render_template(template, form=form)
    form = StreamRuleForm()
    if not form.validate():
        return _invalid(template, form)
    try:
        rule = catalog.create_stream_rule_version(
            db.session, stream=form.stream.data, valid_from=form.valid_from.data, **form.values()
        )
    except ValidationFailed as exc:
        return _refused(form, exc, template)
    return _done(
        _(
            "The new rules of %(stream)s apply from %(date)s.",
            stream=labels.label(labels.STREAM_LABELS, rule.stream),
            date=short_date(rule.valid_from),
        ),
        "admin.stream_rules",
    )


# ================================================================= rates


@bp.get("/rates")
@require_roles(Role.ADMIN)
def rates():
    today = clock.today()
    kinds = [
        {
            "kind": kind,
            "versions": catalog.rate_versions(db.session, kind),
            "in_force": catalog.rate_in_force(db.session, kind, today),
        }
        for kind in RateKind.ALL
    ]
    return render_template("admin/rates/list.html", kinds=kinds, today=today)


@bp.route("/rates/new", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def rate_create():
    template = "admin/rates/form.html"
    form = RateForm()
    if request.method == "GET":
        kind = request.args.get("kind")
        if kind in RateKind.ALL:
            form.kind.data = kind
            current = catalog.rate_in_force(db.session, kind, clock.today())
            if current is not None:
                form.cents_per_hour.data = current.cents_per_hour
                form.vat_percent.data = current.vat_percent
        return render_template(template, form=form)
    if not form.validate():
        return _invalid(template, form)
    try:
        catalog.create_rate_version(db.session, **form.values())
    except ValidationFailed as exc:
        return _refused(form, exc, template)
    return _done(_("The new rate was saved."), "admin.rates")
