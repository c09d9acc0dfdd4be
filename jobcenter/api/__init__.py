"""/api/v1: HTTP only; schemas live in each domain module.

The pattern every resource follows (later issues extend it the same way):
- `auth.require_roles(...)` on each view: bearer token → user, 401/403 problems;
- `authz.scope` / `authz.get_visible` for rows (outside the user's scope → 404);
- `http.load_json(Schema())` for bodies (415/400/422 problems), one operation call,
  one commit (`core.transactions.unit_of_work`);
- `pagination.paginate(...)` for lists (envelope + Link header);
- `openapi.doc(...)` next to the route, so `/api/v1/openapi.json` documents it;
- errors are `application/problem+json` everywhere under /api/ (`core.errors`).
"""

from flask import Blueprint, g, request
from werkzeug.routing import BaseConverter

from jobcenter.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens, not cookies: no CSRF exposure

# Request bodies larger than this are refused with 413 before they are read.
MAX_BODY_BYTES = 1024 * 1024


class DatabaseIdConverter(BaseConverter):
    """`<db_id:unit_id>`: up to ten digits, so any id reaches the view, which answers 404
    for ids no row has. (Refusing out-of-range ids in the converter would make werkzeug
    answer 405 instead of 404 for other methods on the same path.)"""

    regex = r"[0-9]{1,10}"
    weight = 50

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


@bp.record_once
def _register_converter(state) -> None:
    state.app.url_map.converters.setdefault("db_id", DatabaseIdConverter)


@bp.before_request
def _start_api_request() -> None:
    request.max_content_length = MAX_BODY_BYTES
    # Each API request is authenticated by its own token. Forget a user (and a language)
    # cached in `g` by an earlier request that shared this app context, as the test
    # client does when a test holds an app context open; a no-op in production.
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)


@bp.after_request
def _api_headers(response):
    # Answers depend on the token and the language; nothing personal may be cached.
    response.vary.update(("Authorization", "Accept-Language"))
    response.headers.setdefault("Cache-Control", "no-store")
    return response


from jobcenter.api import openapi  # noqa: E402,F401  (GET /openapi.json)

# One line per resource module, so adding one is a one-line change.
from jobcenter.api.resources import (  # noqa: E402
    attendance,  # noqa: F401
    calendar_feed,  # noqa: F401
    catalog,  # noqa: F401
    dashboard,  # noqa: F401
    matching,  # noqa: F401
    me,  # noqa: F401
    me_shifts,  # noqa: F401
    reports,  # noqa: F401
    shifts,  # noqa: F401
    tasks,  # noqa: F401
    units,  # noqa: F401
)
