"""Admin forms. They parse and check the shape of input; the operations check the rules.

Field names equal the operations' keyword names, so an operation's `ValidationFailed`
messages land beside the right field. Hours and euros are typed as people write them
("4,5", "14,50" or "14.50") and come out as whole minutes and cents, as stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from jobcenter.admin.labels import (
    ICON_LABELS,
    LOCALE_LABELS,
    RATE_KIND_LABELS,
    ROLE_LABELS,
    STREAM_LABELS,
    SUPERVISION_LABELS,
    UNIT_KIND_LABELS,
    label,
)
from jobcenter.catalog.models import RateKind
from jobcenter.catalog.operations import TASK_KIND_ICON_NAMES
from jobcenter.core.enums import Role
from jobcenter.core.i18n import current_locale

# ---------------------------------------------------------------- fields


MAX_DIGITS = 12  # digits before the decimal separator that any number field accepts


_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def parse_local_decimal(text: str, places: int, example: str = "14,50") -> Decimal | None:
    """ "14,50", "14.50", "1 200,5", "14,50 €" → Decimal; "" → None.

    Raises ValueError with a message for people when the text is not such a number.
    """
    cleaned = text.strip()
    for suffix in ("€", "%", "h"):
        cleaned = cleaned.removesuffix(suffix).strip()
    cleaned = cleaned.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = cleaned.replace("\u2212", "-")  # the minus sign Babel writes
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        raise ValueError(_l("Write the number with one decimal separator, for example 14,50."))
    cleaned = cleaned.replace(",", ".")
    if current_locale() == "en":
        example = example.replace(",", ".")
    # Decimal() also takes "1e3", "1_000", "Infinity" and other scripts' digits ("١٥"):
    # none is how a person writes an amount, and each would be read as something unmeant.
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        raise ValueError(_l("Enter a number, for example %(example)s.", example=example))
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_l("Enter a number, for example %(example)s.", example=example)) from None
    if not number.is_finite():
        raise ValueError(_l("Enter a number, for example %(example)s.", example=example))
    if number and number.adjusted() >= MAX_DIGITS:
        # 1e309 is a finite Decimal, but no field here takes it (and quantising it fails)
        raise ValueError(_l("The number is too large."))
    if places == 0:
        if number % 1:
            raise ValueError(_l("Enter a whole number."))
    elif number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(_l("Use at most %(places)d decimals.", places=places))
    return number


def format_local_decimal(number: Decimal) -> str:
    text = format(number.normalize(), "f") if number % 1 else str(int(number))
    return text.replace(".", ",") if current_locale() in ("fi", "sv") else text


class NumberField(Field):
    """A number typed with a decimal comma or point, stored as an integer of `unit`
    (e.g. minutes for hours with unit=60, cents for euros with unit=100), or as a
    Decimal when `unit` is None."""

    widget = TextInput()

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        unit: int | None = 1,
        places: int = 2,
        example: str = "14,50",
        **kwargs: Any,
    ):
        render_kw = kwargs.pop("render_kw", None) or {}
        render_kw.setdefault("inputmode", "decimal" if places else "numeric")
        render_kw.setdefault("autocomplete", "off")
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.unit = unit
        self.places = places
        self.example = example  # shown in "Enter a number, for example …"

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        self.data = None
        # ValueError → field error
        number = parse_local_decimal(valuelist[0], self.places, self.example)
        if number is None:
            return
        if self.unit is None:
            self.data = number
        else:
            self.data = int((number * self.unit).to_integral_value())

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None or self.data == "":
            return ""
        number = Decimal(self.data) if self.unit is None else Decimal(self.data) / self.unit
        return format_local_decimal(number.quantize(Decimal(1).scaleb(-self.places)))


class HoursField(NumberField):
    """Hours in the form, whole minutes in `data`."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any):
        kwargs.setdefault("example", "3,5")
        super().__init__(label, validators, unit=60, places=2, **kwargs)


class EurosField(NumberField):
    """Euros with at most two decimals in the form, cents in `data`."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any):
        super().__init__(label, validators, unit=100, places=2, **kwargs)


class WholeNumberField(NumberField):
    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any):
        kwargs.setdefault("example", "3")
        super().__init__(label, validators, unit=1, places=0, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes, rendered as a fieldset by templates/admin/_macros.html."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def optional_int(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Choices for select, radio and checkbox fields: (value, label) pairs."""
    return [SelectChoice(value=value, label=text) for value, text in pairs]


def choices_of(mapping: dict) -> list[SelectChoice]:
    return options((str(key), label(mapping, key)) for key in mapping)


# ---------------------------------------------------------------- users


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form: nothing changes

    role = SelectField(_l("Role"), choices=[], validate_choice=False)
    q = StringField(_l("Search by name or e-mail"), validators=[Length(max=100)])
    status = SelectField(_l("Status"), choices=[], validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.role.choices = [*options([("", _l("All roles"))]), *choices_of(ROLE_LABELS)]
        self.status.choices = options(
            [
                ("", _l("Active and deactivated")),
                ("active", _l("Active")),
                ("inactive", _l("Deactivated")),
            ]
        )


class PersonForm(FlaskForm):
    first_name = StringField(
        _l("First name"),
        validators=[DataRequired(_l("Enter the first name.")), Length(max=80)],
        render_kw={"autocomplete": "off"},
    )
    last_name = StringField(
        _l("Last name"),
        validators=[DataRequired(_l("Enter the last name.")), Length(max=80)],
        render_kw={"autocomplete": "off"},
    )
    email = StringField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter an e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "off", "type": "email", "spellcheck": "false"},
    )
    phone = StringField(
        _l("Phone"), validators=[Optional(), Length(max=40)], render_kw={"type": "tel"}
    )
    locale = SelectField(_l("Language of the service"), choices=choices_of(LOCALE_LABELS))

    person_fields = ("first_name", "last_name", "email", "phone", "locale")
    role_fields: tuple[str, ...] = ()
    plan_fields: tuple[str, ...] = ()

    def person_values(self) -> dict[str, Any]:
        return {name: self[name].data for name in (*self.person_fields, *self.role_fields)}

    def plan_values(self) -> dict[str, Any]:
        return {name: self[name].data for name in self.plan_fields}


class ManagerForm(PersonForm):
    pass


class AdminForm(PersonForm):
    pass


class UnitContactForm(PersonForm):
    unit_id = SelectField(
        _l("Unit"),
        coerce=optional_int,
        choices=[],
        validators=[DataRequired(_l("Choose the unit this person orders work for."))],
    )
    role_fields = ("unit_id",)


class InstructorForm(PersonForm):
    supervision_capacity = WholeNumberField(
        _l("Supervision capacity (participants at once)"),
        validators=[
            InputRequired(_l("Enter how many participants the instructor can supervise at once."))
        ],
    )
    streams = MultiCheckboxField(
        _l("Streams"),
        choices=[],
        validators=[DataRequired(_l("Choose at least one stream."))],
    )
    role_fields = ("supervision_capacity", "streams")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.streams.choices = choices_of(STREAM_LABELS)


PLAN_FORM_FIELDS = (
    "start_date",
    "end_date",
    "days_per_week",
    "min_minutes_per_day",
    "max_minutes_per_day",
    "weekly_target_minutes",
    "supervision_level",
    "skill_ids",
    "preferred_task_kind_ids",
    "avoided_task_kind_ids",
    "home_district_id",
    "monthly_earnings_ceiling_cents",
    "daily_allowance_cents",
)


class ParticipantForm(PersonForm):
    email = StringField(
        _l("E-mail address (optional)"),
        validators=[Optional(), Length(max=254)],
        render_kw={"autocomplete": "off", "type": "email", "spellcheck": "false"},
    )
    group_id = SelectField(
        _l("Group"),
        coerce=optional_int,
        choices=[],
        validators=[DataRequired(_l("Choose the group the participant belongs to."))],
    )
    stream = RadioField(
        _l("Stream"),
        choices=[],
        validators=[InputRequired(_l("Choose the stream of work activity."))],
    )
    start_date = DateField(
        _l("Plan starts"), validators=[InputRequired(_l("Enter the start date."))]
    )
    end_date = DateField(_l("Plan ends"), validators=[InputRequired(_l("Enter the end date."))])
    days_per_week = WholeNumberField(
        _l("Days a week"), validators=[InputRequired(_l("Enter the days a week."))]
    )
    min_minutes_per_day = HoursField(
        _l("Minimum hours a day"), validators=[InputRequired(_l("Enter the minimum hours a day."))]
    )
    max_minutes_per_day = HoursField(
        _l("Maximum hours a day"), validators=[InputRequired(_l("Enter the maximum hours a day."))]
    )
    weekly_target_minutes = HoursField(_l("Weekly target hours"), validators=[Optional()])
    supervision_level = RadioField(
        _l("Supervision needed"),
        coerce=int,
        choices=[],
        validators=[InputRequired(_l("Choose a supervision level."))],
    )
    skill_ids = MultiCheckboxField(_l("Skills"), coerce=int, choices=[])
    preferred_task_kind_ids = MultiCheckboxField(
        _l("Task kinds the participant prefers"), coerce=int, choices=[]
    )
    avoided_task_kind_ids = MultiCheckboxField(
        _l("Task kinds the participant must avoid"), coerce=int, choices=[]
    )
    home_district_id = SelectField(_l("Home district"), coerce=optional_int, choices=[])
    monthly_earnings_ceiling_cents = EurosField(
        _l("Monthly earnings ceiling (€)"), validators=[Optional()]
    )
    daily_allowance_cents = EurosField(
        _l("Work allowance per day (€, disability work activity)"), validators=[Optional()]
    )

    # Not a role field of `accounts.management`: the admin view sets it on the
    # participant after the person is saved.
    instructor_confirms = BooleanField(_l("The instructor confirms shifts for this participant"))

    role_fields = ("group_id", "stream", "instructor_confirms")
    plan_fields = PLAN_FORM_FIELDS

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.stream.choices = choices_of(STREAM_LABELS)
        self.supervision_level.choices = options(SUPERVISION_LABELS.items())


USER_FORMS: dict[Role, type[PersonForm]] = {
    Role.UNIT_CONTACT: UnitContactForm,
    Role.INSTRUCTOR: InstructorForm,
    Role.PARTICIPANT: ParticipantForm,
    Role.MANAGER: ManagerForm,
    Role.ADMIN: AdminForm,
}


class GroupForm(FlaskForm):
    name = StringField(
        _l("Group name"),
        validators=[DataRequired(_l("Enter a name for the group.")), Length(max=100)],
    )
    instructor_id = SelectField(
        _l("Instructor"),
        coerce=optional_int,
        choices=[],
        validators=[DataRequired(_l("Choose an instructor."))],
    )


# ---------------------------------------------------------------- units


class UnitFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name or city"), validators=[Length(max=100)])
    status = SelectField(_l("Status"), choices=[], validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.status.choices = options(
            [
                ("", _l("Active and deactivated")),
                ("active", _l("Active")),
                ("inactive", _l("Deactivated")),
            ]
        )


class UnitForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the name of the unit.")), Length(max=160)]
    )
    kind = SelectField(_l("Kind of customer"), choices=[])
    business_id = StringField(_l("Business ID (Y-tunnus)"), validators=[Optional(), Length(max=20)])
    street_address = StringField(
        _l("Street address"),
        validators=[DataRequired(_l("Enter the street address.")), Length(max=200)],
    )
    postal_code = StringField(
        _l("Postal code"),
        validators=[DataRequired(_l("Enter the postal code.")), Length(max=10)],
        render_kw={"inputmode": "numeric"},
    )
    city = StringField(
        _l("City"),
        default="Helsinki",
        validators=[DataRequired(_l("Enter the city.")), Length(max=80)],
    )
    district_id = SelectField(_l("District"), coerce=optional_int, choices=[])
    email = StringField(
        _l("E-mail address"),
        validators=[Optional(), Length(max=254)],
        render_kw={"type": "email", "spellcheck": "false"},
    )
    phone = StringField(
        _l("Phone"), validators=[Optional(), Length(max=40)], render_kw={"type": "tel"}
    )
    billing_reference = StringField(
        _l("Billing reference"), validators=[Optional(), Length(max=80)]
    )

    unit_fields = (
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

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices_of(UNIT_KIND_LABELS)

    def values(self) -> dict[str, Any]:
        return {name: self[name].data for name in self.unit_fields}


# ---------------------------------------------------------------- catalogues


class SkillForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter a code.")), Length(max=60)],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    name_fi = StringField(
        _l("Name in Finnish"),
        validators=[DataRequired(_l("Enter the name in Finnish.")), Length(max=120)],
        render_kw={"lang": "fi"},
    )
    name_sv = StringField(
        _l("Name in Swedish"),
        validators=[DataRequired(_l("Enter the name in Swedish.")), Length(max=120)],
        render_kw={"lang": "sv"},
    )
    name_en = StringField(
        _l("Name in English"),
        validators=[DataRequired(_l("Enter the name in English.")), Length(max=120)],
        render_kw={"lang": "en"},
    )

    catalog_fields: tuple[str, ...] = ("code", "name_fi", "name_sv", "name_en")

    def values(self) -> dict[str, Any]:
        return {name: self[name].data for name in self.catalog_fields}


class TaskKindForm(SkillForm):
    icon = RadioField(_l("Icon"), choices=[], validators=[InputRequired(_l("Choose an icon."))])

    catalog_fields = ("code", "name_fi", "name_sv", "name_en", "icon")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.icon.choices = options(
            (name, label(ICON_LABELS, name)) for name in TASK_KIND_ICON_NAMES
        )


# ---------------------------------------------------------------- rules and rates


class StreamRuleForm(FlaskForm):
    stream = SelectField(_l("Stream"), choices=[])
    valid_from = DateField(
        _l("Valid from"), validators=[InputRequired(_l("Enter the first day of validity."))]
    )
    min_days_per_week = WholeNumberField(_l("Minimum days a week"), validators=[Optional()])
    max_days_per_week = WholeNumberField(_l("Maximum days a week"), validators=[Optional()])
    min_minutes_per_day = HoursField(_l("Minimum hours a day"), validators=[Optional()])
    max_minutes_per_day = HoursField(_l("Maximum hours a day"), validators=[Optional()])
    max_minutes_per_week = HoursField(_l("Maximum hours a week"), validators=[Optional()])
    min_plan_months = WholeNumberField(_l("Shortest plan period (months)"), validators=[Optional()])
    max_plan_months = WholeNumberField(_l("Longest plan period (months)"), validators=[Optional()])
    daily_allowance_cents = EurosField(
        _l("Allowance per attended day (€)"), validators=[Optional()]
    )
    legal_basis = TextAreaField(
        _l("Legal basis"),
        validators=[DataRequired(_l("Write the legal basis of the rule.")), Length(max=200)],
        render_kw={"rows": 2},
    )

    rule_fields = (
        "min_days_per_week",
        "max_days_per_week",
        "min_minutes_per_day",
        "max_minutes_per_day",
        "max_minutes_per_week",
        "min_plan_months",
        "max_plan_months",
        "daily_allowance_cents",
        "legal_basis",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.stream.choices = choices_of(STREAM_LABELS)

    def values(self) -> dict[str, Any]:
        return {name: self[name].data for name in self.rule_fields}


class RateForm(FlaskForm):
    kind = RadioField(
        _l("What the rate is"),
        choices=[],
        validators=[InputRequired(_l("Choose wage or price."))],
    )
    cents_per_hour = EurosField(
        _l("Euros per hour"), validators=[InputRequired(_l("Enter the euros per hour."))]
    )
    vat_percent = NumberField(
        _l("VAT %"), validators=[Optional()], unit=None, places=2, default=Decimal("0")
    )
    valid_from = DateField(
        _l("Valid from"), validators=[InputRequired(_l("Enter the first day of validity."))]
    )
    valid_to = DateField(_l("Last valid day (optional)"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind.choices = options((k, label(RATE_KIND_LABELS, k)) for k in RateKind.ALL)

    def values(self) -> dict[str, Any]:
        return {
            "kind": self.kind.data,
            "cents_per_hour": self.cents_per_hour.data,
            "vat_percent": self.vat_percent.data,
            "valid_from": self.valid_from.data,
            # People give the last valid day; the stored end is the day after it.
            "valid_to": self.valid_to.data + timedelta(days=1) if self.valid_to.data else None,
        }
