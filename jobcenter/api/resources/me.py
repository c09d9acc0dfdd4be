"""GET /api/v1/me: who the token belongs to."""

from __future__ import annotations

from flask_login import current_user

from jobcenter.accounts.schemas import MeSchema
from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import json_response
from jobcenter.api.openapi import doc


@bp.get("/me")
@doc(summary="The signed-in user", response=MeSchema, tags=["accounts"])
@require_roles()
def me():
    """The token's user: name, e-mail, role, language and, for a unit contact, their unit.
    A participant's plan, stream and supervision are not part of this answer."""
    return json_response(MeSchema().dump(current_user._get_current_object()))
