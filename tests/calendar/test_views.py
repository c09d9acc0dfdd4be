"""Calendar pages: who may open them, the feed's secret address, conditional requests."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent, CalendarFeed
from jobcenter.calendar import secrets
from jobcenter.calendar.views import RedactFeedSecrets
from jobcenter.core import clock
from jobcenter.scheduling.models import AssignmentStatus
from tests import factories
from tests.calendar.conftest import parse


def feed_path(session, user) -> str:
    secret = secrets.feed_secret(session, user)
    session.commit()
    return f"/calendar/feed/{secret}.ics"


def shown_address(html: str) -> str:
    start = html.index('id="feed-url"')
    value = html.index('value="', start) + len('value="')
    return html[value : html.index('"', value)]


# ---------------------------------------------------------------- subscribe page


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: factories.make_participant().user,
        lambda: factories.make_instructor().user,
        factories.make_unit_contact,
    ],
    ids=["participant", "instructor", "unit_contact"],
)
def test_subscribe_page_shows_the_users_feed_address(monday, client, login, session, make_user):
    user = make_user()
    session.commit()
    login(user)
    response = client.get("/calendar/subscribe")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    url = shown_address(html)
    assert url.startswith("http://127.0.0.1:5000/calendar/feed/")
    assert url.endswith(".ics")
    assert "webcal://127.0.0.1:5000/calendar/feed/" in html
    assert "Google Calendar" in html
    assert "Outlook" in html


@pytest.mark.parametrize("make_user", [factories.make_manager, factories.make_admin])
def test_managers_and_admins_have_no_feed_page(monday, client, login, session, make_user):
    user = make_user()
    session.commit()
    login(user)
    assert client.get("/calendar/subscribe").status_code == 403


def test_subscribe_page_sends_anonymous_visitors_to_sign_in(monday, client):
    response = client.get("/calendar/subscribe")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_same_address_is_shown_on_every_visit(monday, client, login, session):
    user = factories.make_participant().user
    session.commit()
    login(user)
    first = shown_address(client.get("/calendar/subscribe").get_data(as_text=True))
    second = shown_address(client.get("/calendar/subscribe").get_data(as_text=True))
    assert first == second
    assert session.scalar(sa.select(sa.func.count()).select_from(CalendarFeed)) == 1


def test_only_a_hash_of_the_secret_is_stored(monday, session):
    user = factories.make_participant().user
    secret = secrets.feed_secret(session, user)
    feed = session.scalars(sa.select(CalendarFeed)).one()
    assert len(secret) >= 43
    assert secret not in feed.token_hash
    assert feed.token_hash == secrets.hash_secret(secret)


def test_regenerating_revokes_the_old_address(monday, client, login, session):
    user = factories.make_participant().user
    old = feed_path(session, user)
    login(user)
    response = client.post("/calendar/subscribe/regenerate")
    assert response.status_code == 302
    page = client.get("/calendar/subscribe").get_data(as_text=True)
    new = shown_address(page).removeprefix("http://127.0.0.1:5000")
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    feeds = session.scalars(sa.select(CalendarFeed).order_by(CalendarFeed.id)).all()
    assert [f.revoked_at is not None for f in feeds] == [True, False]


def test_regenerating_needs_the_csrf_token(monday, make_app, session):
    user = factories.make_participant().user
    session.commit()
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    from tests.conftest import login_as

    login_as(client, user)
    assert client.post("/calendar/subscribe/regenerate").status_code == 400


# ---------------------------------------------------------------- the feed


def test_unknown_secret_is_404(monday, client):
    response = client.get("/calendar/feed/not-a-real-secret.ics")
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers
    assert client.get(f"/calendar/feed/{'x' * 500}.ics").status_code == 404


def test_feed_of_a_closed_account_is_404(monday, client, session):
    user = factories.make_participant().user
    path = feed_path(session, user)
    user.is_active_account = False
    session.commit()
    assert client.get(path).status_code == 404


def test_feed_answers_icalendar_privately(monday, client, session):
    path = feed_path(session, factories.make_instructor().user)
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"]
    assert "Set-Cookie" not in response.headers
    parse(response.data)


def test_unchanged_feed_answers_304_to_its_etag(monday, client, session):
    participant = factories.make_participant()
    factories.make_assignment(participant=participant)
    path = feed_path(session, participant.user)
    first = client.get(path)
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_unchanged_feed_answers_304_to_if_modified_since(monday, client, session):
    participant = factories.make_participant()
    factories.make_assignment(participant=participant)
    path = feed_path(session, participant.user)
    first = client.get(path)
    again = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304


def test_a_changed_feed_answers_200_with_a_new_etag(monday, client, session):
    participant = factories.make_participant()
    assignment = factories.make_assignment(participant=participant)
    path = feed_path(session, participant.user)
    first = client.get(path)
    with clock.frozen(monday + timedelta(hours=1)):
        assignment.shift.ends_at += timedelta(hours=1)
        assignment.shift.sequence += 1
        session.commit()
        again = client.get(
            path,
            headers={
                "If-None-Match": first.headers["ETag"],
                "If-Modified-Since": first.headers["Last-Modified"],
            },
        )
    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]
    [event] = parse(again.data)
    assert event.sequence == 1


def test_fetching_a_participants_feed_is_audited_without_the_secret(monday, client, session):
    participant = factories.make_participant()
    factories.make_assignment(participant=participant)
    path = feed_path(session, participant.user)
    client.get(path)
    [event] = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "calendar_feed_fetched")
    ).all()
    assert event.participant_id == participant.id
    secret = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert secret not in repr(event.detail)
    feed = session.scalars(sa.select(CalendarFeed)).one()
    session.refresh(feed)
    assert feed.last_fetched_at == monday


def test_request_log_lines_never_carry_the_secret():
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '"%s" %s %s',
        ("GET /calendar/feed/SeCrEt-123_abc.ics HTTP/1.1", "200", "-"), None,
    )  # fmt: skip
    assert RedactFeedSecrets().filter(record)
    assert "SeCrEt" not in record.getMessage()
    assert "/calendar/feed/[secret].ics" in record.getMessage()


def test_the_request_loggers_have_the_redacting_filter(app):
    for name in ("werkzeug", "gunicorn.access"):
        assert any(isinstance(f, RedactFeedSecrets) for f in logging.getLogger(name).filters)


# ---------------------------------------------------------------- one shift as .ics


def test_participant_downloads_their_own_shift(monday, client, login, session):
    participant = factories.make_participant()
    assignment = factories.make_assignment(participant=participant)
    session.commit()
    login(participant.user)
    response = client.get(f"/calendar/shifts/{assignment.shift_id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    [event] = parse(response.data)
    assert event.uid == f"shift-{assignment.shift_id}@127.0.0.1"


def test_participant_cannot_download_another_participants_shift(monday, client, login, session):
    me = factories.make_participant()
    other = factories.make_assignment()
    session.commit()
    login(me.user)
    assert client.get(f"/calendar/shifts/{other.shift_id}.ics").status_code == 404


def test_participant_cannot_download_a_shift_only_proposed_to_them(monday, client, login, session):
    me = factories.make_participant()
    proposed = factories.make_assignment(participant=me, status=AssignmentStatus.PROPOSED)
    session.commit()
    login(me.user)
    assert client.get(f"/calendar/shifts/{proposed.shift_id}.ics").status_code == 404


def test_unit_contact_downloads_only_their_units_shifts(monday, client, login, session):
    contact = factories.make_unit_contact()
    own = factories.make_shift(factories.make_task(contact.unit))
    other = factories.make_shift()
    session.commit()
    login(contact)
    assert client.get(f"/calendar/shifts/{own.id}.ics").status_code == 200
    assert client.get(f"/calendar/shifts/{other.id}.ics").status_code == 404


def test_shift_download_needs_sign_in(monday, client, session):
    shift = factories.make_shift()
    session.commit()
    response = client.get(f"/calendar/shifts/{shift.id}.ics")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_unknown_shift_is_404(monday, client, login, session):
    admin = factories.make_admin()
    session.commit()
    login(admin)
    assert client.get("/calendar/shifts/99999999.ics").status_code == 404
