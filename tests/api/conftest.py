"""Helpers for API tests: bearer tokens for factory users, and problem+json checks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jobcenter.accounts.operations import create_api_token

PROBLEM_JSON = "application/problem+json"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "schemathesis: property-based API contract run (bounded, fixed seed); "
        "select with -m schemathesis",
    )


@pytest.fixture
def bearer(session) -> Callable[..., dict[str, str]]:
    """bearer(user) → an Authorization header with a new, committed token for the user."""

    def make(user, **token_kw) -> dict[str, str]:
        _row, secret = create_api_token(session, user, **token_kw)
        session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with this status; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["title"]
    return body
