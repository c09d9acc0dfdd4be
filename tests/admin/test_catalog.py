"""Managing the skills catalogue and the task kinds."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jobcenter.catalog.models import Skill, TaskKind
from jobcenter.catalog.operations import TASK_KIND_ICON_NAMES
from jobcenter.catalog.seed import TASK_KIND_ICONS
from tests import factories
from tests.admin.conftest import page_text

pytestmark = pytest.mark.usefixtures("reference_data")


def _names(**over) -> dict:
    return {
        "code": "first_aid",
        "name_fi": "Ensiapukortti",
        "name_sv": "Första hjälpen-kort",
        "name_en": "First aid card",
    } | over


# ---------------------------------------------------------------- skills


def test_skill_list_shows_all_three_names(admin_client):
    html = page_text(admin_client.get("/admin/skills"))
    assert "Hygieniapassi" in html
    assert "Hygienpass" in html
    assert "Hygiene passport" in html


def test_admin_creates_a_skill(admin_client, session):
    response = admin_client.post("/admin/skills/new", data=_names())
    assert response.status_code == 303
    skill = session.scalars(sa.select(Skill).where(Skill.code == "first_aid")).one()
    assert (skill.name_fi, skill.name_sv, skill.name_en) == (
        "Ensiapukortti",
        "Första hjälpen-kort",
        "First aid card",
    )
    assert skill.is_active


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("name_fi", "Enter the name in Finnish."),
        ("name_sv", "Enter the name in Swedish."),
        ("name_en", "Enter the name in English."),
        ("code", "Enter a code."),
    ],
)
def test_skill_needs_a_code_and_names_in_three_languages(admin_client, count, missing, message):
    before = count(Skill)
    response = admin_client.post("/admin/skills/new", data=_names(**{missing: "  "}))
    assert response.status_code == 422
    assert message in page_text(response)
    assert count(Skill) == before


@pytest.mark.parametrize("code", ["First Aid", "first__aid", "_first", "ensiapu!", "äidinkieli"])
def test_skill_code_must_be_a_slug(admin_client, count, code):
    before = count(Skill)
    response = admin_client.post("/admin/skills/new", data=_names(code=code))
    assert response.status_code == 422
    assert count(Skill) == before


def test_skill_code_is_unique(admin_client, count):
    before = count(Skill)
    response = admin_client.post("/admin/skills/new", data=_names(code="hygiene_passport"))
    assert response.status_code == 422
    assert "The code hygiene_passport is already in use." in page_text(response)
    assert count(Skill) == before


def test_admin_edits_a_skill(admin_client, session):
    skill = factories.make_skill(code="old_code")
    session.commit()
    response = admin_client.post(
        f"/admin/skills/{skill.id}/edit", data=_names(code="new_code", name_en="Renamed")
    )
    assert response.status_code == 303
    session.refresh(skill)
    assert (skill.code, skill.name_en) == ("new_code", "Renamed")


def test_a_skill_keeps_its_own_code_on_edit(admin_client, session):
    skill = factories.make_skill(code="first_aid")
    session.commit()
    response = admin_client.post(f"/admin/skills/{skill.id}/edit", data=_names())
    assert response.status_code == 303


def test_editing_a_skill_to_another_skills_code_is_refused(admin_client, session):
    skill = factories.make_skill(code="first_aid")
    session.commit()
    response = admin_client.post(
        f"/admin/skills/{skill.id}/edit", data=_names(code="hygiene_passport")
    )
    assert response.status_code == 422
    session.refresh(skill)
    assert skill.code == "first_aid"


def test_admin_deactivates_and_reactivates_a_skill(admin_client, session):
    skill = factories.make_skill()
    session.commit()
    admin_client.post(f"/admin/skills/{skill.id}/deactivate")
    session.refresh(skill)
    assert not skill.is_active
    admin_client.post(f"/admin/skills/{skill.id}/reactivate")
    session.refresh(skill)
    assert skill.is_active


def test_a_deactivated_skill_is_not_offered_for_new_plans(admin_client, session):
    factories.make_group()
    factories.make_skill(name_en="Retired skill", name_fi="Poistunut taito", is_active=False)
    session.commit()
    html = page_text(admin_client.get("/admin/users/new/participant"))
    assert "Poistunut taito" not in html


# ---------------------------------------------------------------- task kinds


def test_task_kind_list_shows_the_pilots_kinds_and_icons(admin_client):
    html = page_text(admin_client.get("/admin/task-kinds"))
    assert "Ikkunanpesu" in html
    assert "Broom" in html


def test_admin_creates_a_task_kind_with_an_icon(admin_client, session):
    data = _names(
        code="car_washing",
        name_fi="Autonpesu",
        name_sv="Biltvätt",
        name_en="Car washing",
        icon="dish",
    )
    response = admin_client.post("/admin/task-kinds/new", data=data)
    assert response.status_code == 303
    kind = session.scalars(sa.select(TaskKind).where(TaskKind.code == "car_washing")).one()
    assert kind.icon == "dish"


def test_task_kind_icon_must_come_from_the_fixed_list(admin_client, count):
    before = count(TaskKind)
    response = admin_client.post(
        "/admin/task-kinds/new", data=_names(code="car_washing", icon="<script>")
    )
    assert response.status_code == 422
    assert count(TaskKind) == before


def test_every_seeded_icon_can_be_chosen():
    assert set(TASK_KIND_ICONS.values()) <= set(TASK_KIND_ICON_NAMES)


def test_task_kind_code_is_unique(admin_client, count):
    before = count(TaskKind)
    response = admin_client.post(
        "/admin/task-kinds/new", data=_names(code="window_washing", icon="window")
    )
    assert response.status_code == 422
    assert "already in use" in page_text(response)
    assert count(TaskKind) == before


def test_admin_edits_a_task_kinds_icon(admin_client, session):
    kind = factories.make_task_kind(code="car_washing", icon="task")
    session.commit()
    response = admin_client.post(
        f"/admin/task-kinds/{kind.id}/edit", data=_names(code="car_washing", icon="box")
    )
    assert response.status_code == 303
    session.refresh(kind)
    assert kind.icon == "box"


def test_admin_deactivates_a_task_kind(admin_client, session):
    kind = factories.make_task_kind()
    session.commit()
    response = admin_client.post(f"/admin/task-kinds/{kind.id}/deactivate")
    assert response.status_code == 303
    session.refresh(kind)
    assert not kind.is_active


def test_missing_task_kind_is_not_found(admin_client):
    assert admin_client.get("/admin/task-kinds/999999/edit").status_code == 404
