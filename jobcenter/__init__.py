"""Jobcenter: matches city units' small work tasks to work-activity participants."""

from __future__ import annotations

from typing import Any

from flask import Flask

__version__ = "0.1.0"


def create_app(config: type | dict[str, Any] | None = None) -> Flask:
    """Config → extensions → blueprints. Never creates or migrates tables."""
    app = Flask(__name__, instance_relative_config=False)
    import os

    from jobcenter.config import INSTANCE_DIR, Config, DevelopmentConfig

    base = DevelopmentConfig if os.environ.get("JOBCENTER_CONFIG") == "development" else Config
    app.config.from_object(base)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    app.template_folder = str(_project_path("templates"))
    app.static_folder = str(_project_path("static"))

    _init_extensions(app)
    _register_policies()
    _register_blueprints(app)

    from jobcenter.core.errors import register_error_handlers
    from jobcenter.core.web import register_web_hooks

    register_error_handlers(app)
    register_web_hooks(app)

    from jobcenter.cli import register_cli

    register_cli(app)
    return app


def _project_path(name: str):
    """Templates and static files live beside the package (design card layout),
    or inside it when installed as a wheel."""
    from pathlib import Path

    here = Path(__file__).resolve().parent
    for candidate in (here.parent / name, here / name):
        if candidate.is_dir():
            return candidate
    return here.parent / name


def _init_extensions(app: Flask) -> None:
    from pathlib import Path

    from jobcenter import models  # noqa: F401  (registers every table on the metadata)
    from jobcenter.accounts.session import init_login
    from jobcenter.core.db import render_migration_item
    from jobcenter.core.i18n import select_locale
    from jobcenter.extensions import babel, csrf, db, limiter, migrate

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).resolve().parent / "translations"),
    )
    init_login(app)


def _register_policies() -> None:
    import jobcenter.accounts.policies
    import jobcenter.catalog.policies
    import jobcenter.hours.policies
    import jobcenter.participants.policies
    import jobcenter.scheduling.policies
    import jobcenter.units.policies  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from jobcenter.accounts.views import bp as accounts_bp
    from jobcenter.admin.views import bp as admin_bp
    from jobcenter.api import bp as api_bp
    from jobcenter.calendar.views import bp as calendar_bp
    from jobcenter.dashboard.views import bp as dashboard_bp
    from jobcenter.home.views import bp as home_bp
    from jobcenter.hours.views import bp as attendance_bp
    from jobcenter.matching.views import bp as planning_bp
    from jobcenter.participants.views import bp as mine_bp
    from jobcenter.reports.views import bp as reports_bp
    from jobcenter.scheduling.views import bp as shifts_bp
    from jobcenter.units.views import bp as units_bp

    for bp in (
        home_bp,
        accounts_bp,
        admin_bp,
        units_bp,
        planning_bp,
        mine_bp,
        calendar_bp,
        attendance_bp,
        reports_bp,
        dashboard_bp,
        shifts_bp,
        api_bp,
    ):
        app.register_blueprint(bp)
