"""The icon sprite has a symbol for every task kind, and the icon macro hides icons
from screen readers unless they carry meaning of their own."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import render_template_string

from jobcenter.catalog.seed import TASK_KIND_ICONS
from jobcenter.core.web import icon_href

SPRITE = Path(__file__).resolve().parents[2] / "static" / "icons.svg"
SVG = "{http://www.w3.org/2000/svg}"


def _symbols() -> dict[str, ET.Element]:
    root = ET.parse(SPRITE).getroot()  # noqa: S314 (our own file)
    return {s.get("id"): s for s in root.iter(f"{SVG}symbol")}


@pytest.mark.parametrize("name", sorted({*TASK_KIND_ICONS.values(), "task"}))
def test_sprite_draws_every_task_kind_icon(name):
    symbol = _symbols().get(name)

    assert symbol is not None, f"static/icons.svg has no symbol {name!r}"
    assert symbol.get("viewBox") == "0 0 24 24"
    assert len(list(symbol)) >= 1


def test_unknown_icon_name_falls_back_to_the_generic_task_icon(app):
    with app.test_request_context("/"):
        assert icon_href("no-such-icon").endswith("/static/icons.svg#task")
        assert icon_href("broom").endswith("/static/icons.svg#broom")


def test_decorative_icon_is_hidden_from_screen_readers(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "macros/icons.html" import icon %}{{ icon("broom") }}'
        )

    assert 'aria-hidden="true"' in html
    assert 'focusable="false"' in html
    assert '<use href="/static/icons.svg#broom"/>' in html


def test_icon_with_a_label_is_announced_as_an_image(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "macros/icons.html" import icon %}{{ icon("broom", label="Siivous") }}'
        )

    assert 'role="img" aria-label="Siivous"' in html
    assert "aria-hidden" not in html
