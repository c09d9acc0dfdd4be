"""Bearer-token authentication for /api/v1.

Flask-Login's request loader (`jobcenter.accounts.session`) resolves
`Authorization: Bearer <token>` to a user; session cookies are ignored under /api/.
`require_roles` here is `jobcenter.core.authz.require_roles` for the API: the core
decorator still guards the view (the role rule lives there), this one answers a
missing or bad token with a 401 problem that tells the client what to do, and records
that the token was used.

    @bp.get("/units")
    @doc(...)
    @require_roles()                    # any signed-in role
    def list_units(): ...

    @require_roles(Role.ADMIN)          # admins only; others get 403
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from jobcenter.core import authz
from jobcenter.core.enums import Role
from jobcenter.core.errors import problem
from jobcenter.extensions import db

ALL_ROLES: tuple[Role, ...] = tuple(Role)
REALM = "jobcenter"


def bearer_token_sent() -> bool:
    return bool(request.headers.get("Authorization", "").strip())


def unauthorized() -> Response:
    """401 with `WWW-Authenticate: Bearer` (RFC 6750): no token, or one that does not work."""
    if bearer_token_sent():
        detail = _(
            "The API token does not work: it is unknown, revoked or expired, "
            "or its account is closed."
        )
        challenge = f'Bearer realm="{REALM}", error="invalid_token"'
    else:
        detail = _("Send your API token in the header Authorization: Bearer <token>.")
        challenge = f'Bearer realm="{REALM}"'
    response = problem(401, _("Sign-in required"), detail)
    response.headers["WWW-Authenticate"] = challenge
    return response


def require_roles(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The endpoint needs a valid token of a user in one of `roles` (none given: any role)."""
    allowed = tuple(roles) or ALL_ROLES

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        guarded = authz.require_roles(*allowed)(view)

        @wraps(guarded)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return unauthorized()
            # The request loader stamped the token's last_used_at; keep it even if the
            # request itself fails or only reads.
            db.session.commit()
            if not authz.has_any_role(current_user, allowed):
                abort(403, description=_("Your role cannot use this part of the API."))
            return guarded(*args, **kwargs)

        return wrapped

    return decorator
