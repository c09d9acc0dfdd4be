"""Page-numbered lists: `?page=1&per_page=50`.

Every list endpoint answers with the same envelope::

    {"items": [...], "page": 2, "per_page": 50, "total": 123, "pages": 3}

and an RFC 8288 `Link` header with `first`, `last`, and `prev`/`next` where they exist.
Rows are ordered by id so that pages are stable. `per_page` defaults to the config's
API_PAGE_SIZE and may not exceed API_MAX_PAGE_SIZE; a bad value is a 422 problem.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Response, current_app, request
from flask_babel import gettext as _

from jobcenter.api.http import json_response
from jobcenter.core.errors import ValidationFailed
from jobcenter.extensions import db

# Far beyond any real list; keeps OFFSET within what every database accepts.
MAX_PAGE = 1_000_000
_DIGITS = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class PageRequest:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def max_page_size() -> int:
    return int(current_app.config["API_MAX_PAGE_SIZE"])


def default_page_size() -> int:
    return min(int(current_app.config["API_PAGE_SIZE"]), max_page_size())


def _whole_number(name: str, default: int, maximum: int, errors: dict[str, list[str]]) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    value = int(raw) if _DIGITS.fullmatch(raw) else None
    if value is None or not 1 <= value <= maximum:
        errors[name] = [_("Use a whole number from 1 to %(max)d.", max=maximum)]
        return default
    return value


def page_request() -> PageRequest:
    """The page the client asked for; raises ValidationFailed (422) on bad values."""
    errors: dict[str, list[str]] = {}
    page = _whole_number("page", 1, MAX_PAGE, errors)
    per_page = _whole_number("per_page", default_page_size(), max_page_size(), errors)
    if errors:
        raise ValidationFailed(errors)
    return PageRequest(page, per_page)


def _page_url(page: int, per_page: int) -> str:
    """This request's URL with another page; other query parameters are kept."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "per_page")]
    args += [("page", str(page)), ("per_page", str(per_page))]
    return f"{request.base_url}?{urlencode(args)}"


def link_header(page: int, per_page: int, pages: int) -> str:
    last = max(pages, 1)
    links = [(1, "first")]
    if page > 1:
        links.append((min(page - 1, last), "prev"))
    if page < pages:
        links.append((page + 1, "next"))
    links.append((last, "last"))
    return ", ".join(f'<{_page_url(n, per_page)}>; rel="{rel}"' for n, rel in links)


def paginate(
    stmt: sa.Select, order_by: Any, dump: Callable[[Sequence[Any]], list[dict[str, Any]]]
) -> Response:
    """Run `stmt` (already scoped to the user) for the requested page and answer with
    the envelope and the Link header. `dump` turns the page's rows into JSON objects."""
    wanted = page_request()
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    total = int(total or 0)
    pages = math.ceil(total / wanted.per_page)
    rows: Sequence[Any] = []
    if wanted.offset < total:
        rows = db.session.scalars(
            stmt.order_by(order_by).limit(wanted.per_page).offset(wanted.offset)
        ).all()
    body = {
        "items": dump(rows),
        "page": wanted.page,
        "per_page": wanted.per_page,
        "total": total,
        "pages": pages,
    }
    return json_response(body, headers={"Link": link_header(wanted.page, wanted.per_page, pages)})
