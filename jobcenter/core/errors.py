"""Errors as `application/problem+json` (RFC 9457) for the API, translated pages for people."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    """A rule refused the action. The message is already translated for the user."""

    status = 409

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class ValidationFailed(DomainError):
    """Input broke one or more rules; `errors` maps field names to messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str]] | dict[str, Any]):
        super().__init__(_("The data you sent has errors."))
        self.errors = errors


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def _http_title(exc: HTTPException) -> str:
    titles = {
        400: _("Bad request"),
        401: _("Sign-in required"),
        403: _("Forbidden"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("Request too large"),
        415: _("Unsupported media type"),
        422: _("Invalid data"),
        429: _("Too many requests"),
        500: _("Internal error"),
    }
    return titles.get(exc.code or 500, exc.name)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException) -> Any:
        status = exc.code or 500
        if wants_problem_json():
            # Werkzeug's stock English descriptions say nothing the title doesn't.
            detail = exc.description if exc.description != type(exc).description else None
            response = problem(status, _http_title(exc), detail)
            if status == 401:
                response.headers["WWW-Authenticate"] = 'Bearer realm="jobcenter"'
            allowed = getattr(exc, "valid_methods", None)
            if status == 405 and allowed:
                response.headers["Allow"] = ", ".join(allowed)
            return response
        return (
            render_template("errors/error.html", status=status, title=_http_title(exc)),
            status,
        )

    @app.errorhandler(ValidationFailed)
    def handle_validation(exc: ValidationFailed) -> Any:
        if wants_problem_json():
            return problem(exc.status, _("Invalid data"), exc.message, errors=exc.errors)
        return (
            render_template(
                "errors/error.html", status=exc.status, title=_("Invalid data"), detail=exc.message
            ),
            exc.status,
        )

    @app.errorhandler(DomainError)
    def handle_domain(exc: DomainError) -> Any:
        if wants_problem_json():
            extra = {"field": exc.field} if exc.field else {}
            return problem(exc.status, _("The action is not possible"), exc.message, **extra)
        return (
            render_template(
                "errors/error.html",
                status=exc.status,
                title=_("The action is not possible"),
                detail=exc.message,
            ),
            exc.status,
        )

    @app.errorhandler(IntegrityError)
    def handle_integrity(exc: IntegrityError) -> Any:
        # Operations check the rules first; a database constraint firing here means two
        # people saved at the same moment. Nothing was written: say so, don't crash.
        from jobcenter.extensions import db

        db.session.rollback()
        app.logger.info("integrity conflict on %s %s: %s", request.method, request.path, exc.orig)
        detail = _(
            "Someone else saved a change at the same moment. Nothing was saved: please try again."
        )
        if wants_problem_json():
            return problem(409, _("Conflict"), detail)
        return render_template(
            "errors/error.html", status=409, title=_("Conflict"), detail=detail
        ), 409

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Any:
        if app.testing:
            raise exc  # let the test fail loudly instead of hiding the bug behind a 500 page
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return handle_http(InternalServerError())
