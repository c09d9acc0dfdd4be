"""Catalogues: skills, task kinds and districts, named in fi/sv/en and in the
response's language."""

from __future__ import annotations

import pytest

from jobcenter.core.enums import Locale
from tests import factories
from tests.api.conftest import assert_problem


def test_task_kind_has_names_in_three_languages_and_an_icon(client, session, bearer):
    kind = factories.make_task_kind(
        name_fi="Siivous", name_sv="Städning", name_en="Cleaning", icon="broom"
    )
    response = client.get(
        f"/api/v1/task-kinds/{kind.id}", headers=bearer(factories.make_manager(locale=Locale.FI))
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["name_fi"] == "Siivous"
    assert body["name_sv"] == "Städning"
    assert body["name_en"] == "Cleaning"
    assert body["name"] == "Siivous"  # the user's saved locale is Finnish
    assert body["icon"] == "broom"
    assert body["code"] == kind.code
    assert response.headers["Content-Language"] == "fi"


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("sv", "Städning"), ("en-GB,en;q=0.9", "Cleaning"), ("de, sv;q=0.5", "Städning")],
)
def test_accept_language_chooses_the_name(client, session, bearer, accept_language, expected):
    kind = factories.make_task_kind(name_fi="Siivous", name_sv="Städning", name_en="Cleaning")
    headers = bearer(factories.make_manager()) | {"Accept-Language": accept_language}
    response = client.get(f"/api/v1/task-kinds/{kind.id}", headers=headers)
    assert response.get_json()["name"] == expected


def test_without_accept_language_the_users_locale_names_things(client, session, bearer):
    factories.make_skill(name_fi="Siivoustaito", name_sv="Städvana", name_en="Cleaning skill")
    response = client.get(
        "/api/v1/skills", headers=bearer(factories.make_instructor(locale=Locale.SV).user)
    )
    assert response.get_json()["items"][0]["name"] == "Städvana"
    assert response.headers["Content-Language"] == "sv"


def test_unsupported_accept_language_falls_back_to_users_locale(client, session, bearer):
    factories.make_skill(name_fi="Taito", name_sv="Färdighet", name_en="Skill")
    headers = bearer(factories.make_manager(locale=Locale.EN)) | {"Accept-Language": "de"}
    response = client.get("/api/v1/skills", headers=headers)
    assert response.get_json()["items"][0]["name"] == "Skill"


def test_inactive_skills_are_hidden_from_non_admins(client, session, bearer):
    active = factories.make_skill()
    retired = factories.make_skill(is_active=False)
    headers = bearer(factories.make_unit_contact())
    listed = client.get("/api/v1/skills", headers=headers).get_json()
    assert [item["id"] for item in listed["items"]] == [active.id]
    assert_problem(client.get(f"/api/v1/skills/{retired.id}", headers=headers), 404)


def test_admin_sees_inactive_task_kinds(client, session, bearer):
    active = factories.make_task_kind()
    retired = factories.make_task_kind(is_active=False)
    body = client.get("/api/v1/task-kinds", headers=bearer(factories.make_admin())).get_json()
    assert [(item["id"], item["is_active"]) for item in body["items"]] == [
        (active.id, True),
        (retired.id, False),
    ]


def test_every_role_can_read_the_catalogues(client, session, bearer, reference_data):
    users = [
        factories.make_admin(),
        factories.make_manager(),
        factories.make_instructor().user,
        factories.make_unit_contact(),
        factories.make_participant().user,
    ]
    for user in users:
        headers = bearer(user)
        for path in ("/api/v1/skills", "/api/v1/task-kinds", "/api/v1/districts"):
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (user.role, path)
            assert response.get_json()["total"] > 0


def test_seeded_task_kinds_carry_their_icons(client, session, bearer, reference_data):
    body = client.get(
        "/api/v1/task-kinds?per_page=200", headers=bearer(factories.make_manager())
    ).get_json()
    icons = {item["code"]: item["icon"] for item in body["items"]}
    assert icons["cleaning"] == "broom"
    assert icons["window_washing"] == "window"


def test_district_by_id(client, session, bearer):
    district = factories.make_district(name_fi="Kallio", name_sv="Berghäll", name_en="Kallio")
    headers = bearer(factories.make_participant().user) | {"Accept-Language": "sv"}
    body = client.get(f"/api/v1/districts/{district.id}", headers=headers).get_json()
    assert body["name"] == "Berghäll"
    assert body["code"] == district.code


def test_unknown_catalogue_id_is_404_problem(client, session, bearer):
    headers = bearer(factories.make_admin())
    for path in ("/api/v1/skills/999", "/api/v1/task-kinds/999", "/api/v1/districts/999"):
        assert_problem(client.get(path, headers=headers), 404)
