"""The one authorization layer: role checks plus object-level row scopes.

Every view and API handler goes through here. Two questions, answered per model:
- `scope(stmt, Model, user)`: narrows a SELECT to the rows the user may see;
- `get_visible(Model, id, user)`: one row, or 404 when it is outside the scope (so
  that a row's existence is not revealed to someone who may not see it).
Domain modules register their scope functions with `@row_scope(Model)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from jobcenter.core.enums import Role

T = TypeVar("T")
ScopeFn = Callable[[sa.Select, Any], sa.Select]

# Primary keys are 32-bit integers on every database we run on.
MAX_DB_ID = 2**31 - 1

_SCOPES: dict[type, ScopeFn] = {}


def row_scope(model: type) -> Callable[[ScopeFn], ScopeFn]:
    def register(fn: ScopeFn) -> ScopeFn:
        _SCOPES[model] = fn
        return fn

    return register


def scope(stmt: sa.Select, model: type, user: Any) -> sa.Select:
    """Restrict `stmt` (selecting `model`) to the rows `user` may see. Deny by default."""
    if user is None or not user.is_authenticated:
        return stmt.where(sa.false())
    fn = _SCOPES.get(model)
    if fn is None:
        raise LookupError(f"no row scope registered for {model.__name__}")
    return fn(stmt, user)


def get_visible(model: type[T], object_id: int, user: Any) -> T:
    from jobcenter.extensions import db

    if not 0 < object_id <= MAX_DB_ID:
        abort(404)  # no row has it, and PostgreSQL would refuse to compare it
    stmt = scope(sa.select(model).where(model.id == object_id), model, user)  # type: ignore[attr-defined]
    obj = db.session.scalars(stmt).first()
    if obj is None:
        abort(404)
    return obj


def require_roles(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Page or endpoint only for these roles: anonymous → sign in (401 in the API), others → 403."""

    allowed = frozenset(roles)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user
            if not user.is_authenticated:
                from jobcenter.extensions import login_manager

                return login_manager.unauthorized()
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def has_any_role(user: Any, roles: Iterable[Role]) -> bool:
    return bool(user and user.is_authenticated and user.role in set(roles))


STAFF_ROLES = (Role.INSTRUCTOR, Role.MANAGER, Role.ADMIN)
