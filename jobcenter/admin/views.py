"""Admin pages (placeholder routes replaced by the admin work package)."""

from flask import Blueprint, render_template

from jobcenter.core.authz import require_roles
from jobcenter.core.enums import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(name: str):
    @require_roles(Role.ADMIN)
    def view():
        return render_template("admin/index.html", section=name)

    view.__name__ = name
    return view


for _name in ("users", "units", "skills", "task_kinds", "stream_rules", "rates"):
    bp.add_url_rule(f"/{_name.replace('_', '-')}", _name, _page(_name))
