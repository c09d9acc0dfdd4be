"""Schemathesis: generated requests against every documented operation, in-process
against the WSGI app. Bounded (fixed seed, few examples per operation); no answer may
be a 5xx, use an undocumented status or content type, or break its own schema.

Run just this with `pytest -m schemathesis tests/api`.
"""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jobcenter.accounts.operations import create_api_token
from jobcenter.catalog.models import District, Skill, TaskKind
from jobcenter.matching.models import MatchingRun
from tests import factories

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def api_schema(app, session, reference_data):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def admin_headers(session) -> dict[str, str]:
    admin = factories.make_admin()
    _row, secret = create_api_token(session, admin, name="schemathesis")
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def existing_ids(session, reference_data) -> dict[str, int | str]:
    """Ids of real rows, so generated requests also reach objects that exist."""
    unit = factories.make_unit(business_id="0201256-6", billing_reference="REF")
    contact = factories.make_unit_contact(unit=unit)
    task = factories.make_posted_task(contact)
    shift = factories.make_shift(task)
    group = factories.make_group()
    run = MatchingRun(group_id=group.id, week_start=date(2026, 3, 9))
    session.add(run)
    record = factories.make_attendance_record(factories.make_assignment(shift=shift))
    session.commit()
    first = {
        model: session.scalar(sa.select(sa.func.min(model.id)))
        for model in (District, Skill, TaskKind)
    }
    return {
        "unit_id": unit.id,
        "task_id": task.id,
        "shift_id": shift.id,
        "run_id": run.id,
        "group_id": group.id,
        "month": "2026-03",
        "record_id": record.id,
        "district_id": first[District],
        "skill_id": first[Skill],
        "task_kind_id": first[TaskKind],
    }


def _mutates_authorization(case) -> bool:
    data = case.meta.phase.data if case.meta is not None else None
    if data is None:
        return False
    names = {getattr(data, "parameter", None)}
    names |= {getattr(m, "parameter", None) for m in getattr(data, "mutations", None) or ()}
    described = str(getattr(data, "description", "") or "")
    return "Authorization" in names or "Authorization" in described


def _run(strategy, headers: dict[str, str]) -> None:
    @seed(20240521)
    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case):
        # A negative case that leaves out or garbles the token tests authentication:
        # send it as generated, without the admin's token on top.
        own = _mutates_authorization(case)
        case.call_and_validate(headers=None if own else headers, checks=CHECKS)

    check()


@pytest.mark.schemathesis
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_answers_match_the_openapi_document(api_schema, admin_headers, existing_ids, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        _run(operation.as_strategy(generation_mode=mode), admin_headers)
        names = [p.name for p in operation.path_parameters]
        if names and mode == GenerationMode.POSITIVE:
            ids = {name: existing_ids[name] for name in names}
            _run(operation.as_strategy(generation_mode=mode, path_parameters=ids), admin_headers)
