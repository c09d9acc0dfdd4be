from tests import factories
from tests.conftest import login_as


def test_signed_in_manager_reaches_home_page(client, session):
    manager = factories.make_manager(first_name="Maija")
    session.commit()
    login_as(client, manager)
    response = client.get("/home")
    assert response.status_code == 200
    assert "Maija" in response.get_data(as_text=True)


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/home")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
