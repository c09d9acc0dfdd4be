"""Errors people and clients see: translated pages, problem+json, never a 500."""

from jobcenter.extensions import db
from tests import factories


def _app_with_a_racing_save(make_app):
    """An app with one extra page whose save collides with a row saved meanwhile."""
    application = make_app()

    def racing_save():
        factories.make_unit(name="Kallion kirjasto")  # unique name already taken
        db.session.commit()
        return "saved"

    application.add_url_rule("/test/racing-save", "racing_save", racing_save)
    application.add_url_rule("/api/v1/test/racing-save", "api_racing_save", racing_save)
    return application


def test_a_constraint_conflict_shows_a_try_again_page_and_saves_nothing(session, make_app):
    factories.make_unit(name="Kallion kirjasto")
    session.commit()
    client = _app_with_a_racing_save(make_app).test_client()

    response = client.get("/test/racing-save?lang=en")

    assert response.status_code == 409
    assert "Nothing was saved" in response.get_data(as_text=True)


def test_a_constraint_conflict_in_the_api_is_a_409_problem(session, make_app):
    factories.make_unit(name="Kallion kirjasto")
    session.commit()
    client = _app_with_a_racing_save(make_app).test_client()

    response = client.get("/api/v1/test/racing-save")

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 409
