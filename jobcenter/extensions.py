"""Extensions created unbound; `create_app` binds them with `init_app`."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from jobcenter.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()


class _LoginManager(LoginManager):
    """The API authenticates by bearer token only and ignores session cookies, so a
    cookie that fails the "strong" session check must not hide a valid token there."""

    def _session_protection_failed(self) -> bool:
        if request.path.startswith("/api/"):
            return False
        return super()._session_protection_failed()


login_manager = _LoginManager()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
