"""/api/v1: HTTP only; schemas live in each domain module."""

from flask import Blueprint

from jobcenter.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens, not cookies: no CSRF exposure
