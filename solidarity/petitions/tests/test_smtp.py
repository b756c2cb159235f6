"""The confirmation through a real SMTP server (aiosmtpd, started here): the message as a mail
server receives it, in plain text, its link followed to a counted signature."""

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from solidarity.petitions.models import Petition

from .helpers import confirm_by_mail, open_petition, sign

pytestmark = pytest.mark.django_db


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def test_the_confirmation_goes_through_smtp_and_its_link_counts_the_signature(client, smtp_server):
    petition = open_petition()
    assert "Check your mailbox" in sign(client, petition, "olga@example.org").content.decode()
    (received,) = smtp_server.messages
    assert received["To"] == "olga@example.org" and received.get_content_type() == "text/plain"
    body = received.get_payload(decode=True).decode(received.get_content_charset())

    class AsDjangoHasIt:
        pass

    message = AsDjangoHasIt()
    message.body = body
    confirm_by_mail(client, message)
    assert Petition.objects.get().signature_count == 1
    assert "<img" not in body and "utm_" not in body
    assert email.message_from_string(received.as_string())["Subject"]


def test_a_mail_server_that_does_not_answer_loses_nothing(client, settings):
    petition = open_petition()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    page = sign(client, petition, "olga@example.org", name="Olga", show_name="yes").content.decode()
    assert "could not be sent just now" in page and 'value="olga@example.org"' in page
