"""A real SMTP server on loopback for tests that send e-mail.

Usage — import the fixture into your test module (or your package's conftest.py):

    from tests.smtp import smtp_server  # noqa: F401  (pytest fixture)

    def test_reset_mail_arrives(app, make_app, smtp_server):
        mail_app = make_app(
            MAIL_SERVER=smtp_server.host,
            MAIL_PORT=smtp_server.port,
            MAIL_SEND_AFTER_REQUEST=True,   # send right after the request commits
        )
        client = mail_app.test_client()
        ...  # do something that queues mail
        message = smtp_server.wait_for_message()
        assert message["To"] == "someone@example.test"
        assert "https://" in smtp_server.body(message)

Ask for the `app` (or `session`) fixture too: it empties the database after the
test, also for apps built with `make_app`.

`smtp_server` is an aiosmtpd `Controller` bound to 127.0.0.1 on a free port, started
for the test and stopped after it. It collects every message it receives in
`smtp_server.messages` (parsed `email.message.EmailMessage` objects, in arrival
order); `smtp_server.envelopes` keeps the SMTP envelope (sender and recipients).

- `wait_for_message(count=1, timeout=5)` waits until at least `count` messages have
  arrived and returns the last one (delivery after a request is synchronous, but
  the server stores messages on its own thread).
- `body(message)` is the decoded text of a message's first text/plain part.
- `stop()` / `start()` take the server down and bring it back on the same port, to
  test retries when the mail server is unreachable.
- `refuse_recipient(address)` makes the server answer 550 for that address.
- `clear()` forgets the messages received so far.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Envelope:
    mail_from: str
    rcpt_tos: tuple[str, ...]


class _CollectingHandler:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Envelope] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        with self.lock:
            refused = address.lower() in self.refused
        if refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content, policy=default_policy)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append(Envelope(envelope.mail_from, tuple(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class SMTPServer:
    """A started SMTP server collecting messages; see the module docstring."""

    def __init__(self, host: str = HOST, port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self._handler = _CollectingHandler()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self._handler.lock:
            return list(self._handler.messages)

    @property
    def envelopes(self) -> list[Envelope]:
        with self._handler.lock:
            return list(self._handler.envelopes)

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is not None:
            return
        controller = Controller(self._handler, hostname=self.host, port=self.port)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is None:
            return
        self._controller.stop()
        self._controller = None

    def refuse_recipient(self, address: str) -> None:
        """Answer "550 no such user" to this recipient from now on (a permanent failure)."""
        with self._handler.lock:
            self._handler.refused.add(address.lower())

    def clear(self) -> None:
        with self._handler.lock:
            self._handler.messages.clear()
            self._handler.envelopes.clear()

    def wait_for_message(self, count: int = 1, timeout: float = 5.0) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            received = self.messages
            if len(received) >= count:
                return received[-1]
            time.sleep(0.02)
        raise AssertionError(
            f"expected {count} message(s) within {timeout} s, got {len(self.messages)}"
        )

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        assert part is not None, "the message has no text/plain part"
        return part.get_content()


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """A real SMTP server on 127.0.0.1 (free port) that collects what it receives."""
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
