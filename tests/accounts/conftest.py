"""Helpers for account tests: pages are read in English so assertions do not depend
on the Finnish and Swedish catalogues."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from jobcenter.core.enums import Locale
from tests import factories
from tests.smtp import smtp_server  # noqa: F401  (pytest fixture)


def in_english(client: FlaskClient) -> FlaskClient:
    with client.session_transaction() as sess:
        sess["locale"] = "en"
    return client


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str = factories.PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


@pytest.fixture
def en_client(client: FlaskClient) -> FlaskClient:
    return in_english(client)


@pytest.fixture
def english_user():
    """Factory: any user, saved with English as their language."""

    def make(maker=factories.make_manager, **kw):
        return maker(locale=Locale.EN, **kw)

    return make
