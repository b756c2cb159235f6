"""Signing: a mail to confirm, counted once the link is followed, once per person; the address
is used for the mail and never kept; nobody can ask the form who signed."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.management import call_command

from solidarity.petitions import services
from solidarity.petitions.addresses import stored_domain
from solidarity.petitions.models import Milestone, Petition, Signature

from .helpers import (
    confirm_by_mail,
    guard_answer,
    link_in,
    open_petition,
    path_of,
    sign,
    signed_and_confirmed,
)

pytestmark = pytest.mark.django_db


def signature_day():
    from django.utils import timezone

    return timezone.localdate()


def everything_stored() -> str:
    found = []
    for model in apps.get_models():
        if not model._meta.managed:
            continue  # no table of ours (django-rq's dashboard)
        for row in model.objects.values_list():
            found.extend(str(value) for value in row)
    return "\n".join(found).lower()


def test_a_signature_counts_once_confirmed_and_no_table_holds_the_address(client):
    petition = open_petition()
    Milestone.objects.create(petition=petition, count=1, label="A letter to the ministers")
    page = sign(client, petition, "Anna.Schmidt@Example.org")
    assert "Check your mailbox" in page.content.decode()
    assert Petition.objects.get().signature_count == 0  # not before the link is followed
    (message,) = mail.outbox
    assert message.to == ["Anna.Schmidt@Example.org"] and "Free all political prisoners" in message.subject
    assert "anna.schmidt" not in everything_stored()  # not even while it waits
    receipt = confirm_by_mail(client, message)
    petition.refresh_from_db()
    assert (
        petition.signature_count == 1
        and receipt.startswith(f"{signature_day():%Y%m%d}-")
        and len(receipt.replace("-", "")) == 32
    )
    signature = Signature.objects.get()
    assert (
        signature.status == "confirmed"
        and signature.token_hash == ""
        and signature.email_domain == stored_domain("example.org")
    )
    stored = everything_stored()
    assert "anna.schmidt" not in stored and receipt.lower() not in stored and "example.org" not in stored
    assert Milestone.objects.get().reached_on == signature.confirmed_on
    # The link is spent: following it again counts nothing.
    again = client.post(path_of(link_in(message))).content.decode()
    assert "This link was used already" in again and Petition.objects.get().signature_count == 1


def test_the_confirmation_mail_is_in_the_signers_language_plain_and_untracked(client):
    petition = open_petition()
    sign(client, petition, "oleg@example.org", language="ru")
    (message,) = mail.outbox
    assert message.subject.startswith("Подтвердите подпись")
    assert "Освободите всех политзаключённых" in message.subject
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", None)
    links = [word for word in message.body.split() if word.startswith("http")]
    assert links == [link_in(message)] and "?" not in link_in(message)  # one link, nothing added to it
    assert "/ru/petitions/" in link_in(message)


@pytest.mark.parametrize(
    ("first", "second", "signers"),
    [
        ("Name.Surname+x@Gmail.com", "namesurname@gmail.com", 1),  # Gmail ignores dots and tags
        ("name.surname@googlemail.com", "NameSurname@gmail.com", 1),
        ("Name.Surname+x@example.org", "namesurname@example.org", 2),  # another provider does not
        ("name+petition@outlook.com", "name@outlook.com", 1),  # tags, but dots count
        ("na.me@outlook.com", "name@outlook.com", 2),
    ],
)
def test_one_person_signs_once_however_the_address_is_spelled(client, first, second, signers):
    petition = open_petition()
    signed_and_confirmed(client, petition, first)
    mail.outbox.clear()
    sign(client, petition, second)
    (message,) = mail.outbox
    if signers == 1:
        assert "has signed already" in message.body and "/confirm/" not in message.body
    else:
        confirm_by_mail(client, message)
    assert Petition.objects.get().signature_count == signers == Signature.objects.count()


def test_signing_again_looks_the_same_to_whoever_asks(client):
    petition = open_petition()
    first = sign(client, petition, "vera@example.org").content.decode()
    confirm_by_mail(client, mail.outbox[0])
    again = sign(client, petition, "vera@example.org").content.decode()
    fresh = sign(client, petition, "nobody@example.org").content.decode()

    def shown(page: str) -> str:
        return page.split("<main", 1)[1].split("</main>", 1)[0]

    assert shown(first) == shown(again) == shown(fresh)


def test_a_waiting_signature_gets_a_new_link_and_the_old_one_stops(client):
    petition = open_petition()
    sign(client, petition, "ivan@example.org")
    sign(client, petition, "ivan@example.org", country="LT")
    old, new = mail.outbox
    assert "This link was used already" in client.get(path_of(link_in(old))).content.decode()
    confirm_by_mail(client, new)
    assert Signature.objects.get().country == "LT" and Petition.objects.get().signature_count == 1


def test_mails_to_one_address_are_limited(client):
    petition = open_petition()
    for _ in range(services.MAILS_PER_ADDRESS_PER_DAY):
        sign(client, petition, "target@example.org")
    refused = sign(client, petition, "target@example.org").content.decode()
    assert "Several confirmation mails went to this address today" in refused
    assert len(mail.outbox) == services.MAILS_PER_ADDRESS_PER_DAY


def test_a_name_is_kept_only_when_it_is_to_be_shown(client):
    petition = open_petition()
    signed_and_confirmed(client, petition, "a@example.org", name="Kept Nowhere")
    signed_and_confirmed(client, petition, "b@example.org", name="Anna Schmidt", show_name="yes")
    assert list(Signature.objects.values_list("name", "show_name")) == [("", False), ("Anna Schmidt", True)]
    page = sign(client, petition, "c@example.org", show_name="yes").content.decode()
    assert "Write the name to be shown" in page


def test_a_signer_in_the_model_country_is_warned_before_a_name_is_shown(client, settings):
    petition = open_petition()
    settings.COUNTRY = "by"
    page = client.get("/en/petitions/free-them-all/").content.decode()
    assert "If you live in Belarus, do not show your name" in page
    refused = sign(client, petition, "d@example.org", country="BY", name="Real Name", show_name="yes")
    html = refused.content.decode()
    assert "dangerous for someone who lives in Belarus" in html and 'name="accept_danger"' in html
    assert not mail.outbox and "Real Name" in html  # nothing lost: the form keeps what was typed
    sign(
        client, petition, "d@example.org", country="BY", name="Real Name", show_name="yes", accept_danger="on"
    )
    assert len(mail.outbox) == 1
    signed_and_confirmed(client, petition, "e@example.org", country="BY")  # counted, not shown
    assert Signature.objects.filter(country="BY", show_name=False, name="").count() == 1


def test_without_the_guard_nothing_is_signed(client):
    petition = open_petition()
    honeypot = sign(client, petition, "f@example.org", website="http://spam").content.decode()
    assert "filled in by a program" in honeypot
    no_answer = client.post(
        "/en/petitions/free-them-all/sign/", {"country": "DE", "email": "g@example.org"}
    ).content.decode()
    assert "Please answer the question." in no_answer
    assert not Signature.objects.exists() and not mail.outbox


def test_bad_input_gets_a_message_and_no_500(client):
    petition = open_petition()
    for form in (
        {"country": "XX", "email": "h@example.org"},
        {"country": "DE", "email": "not an address"},
        {"country": "DE", "email": "x@" + "y" * 300 + ".org"},
        {},
    ):
        response = client.post(f"/en/petitions/{petition.slug}/sign/", {**form, **guard_answer()})
        assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert client.get("/en/petitions/free-them-all/confirm/nonsense/").status_code == 200
    assert client.get("/en/petitions/no-such/").status_code == 404
    assert not Signature.objects.exists()


def test_unconfirmed_signatures_expire_after_a_week_and_deadlines_close(client):
    petition = open_petition(deadline=datetime.date.today() + datetime.timedelta(days=10))
    sign(client, petition, "late@example.org")
    (message,) = mail.outbox
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=8)):
        refused = client.post(path_of(link_in(message))).content.decode()
        assert "This link has expired" in refused
        assert services.daily()["expired"] == 1 and not Signature.objects.exists()
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=11)):
        call_command("petitions_daily")
        assert Petition.objects.get().status == "closed"
        assert "not taking signatures" in sign(client, petition, "new@example.org").content.decode()


def test_a_draft_is_not_public(client):
    Petition.objects.create(slug="draft", title="Draft", text="t", addressees="a")
    assert client.get("/en/petitions/draft/").status_code == 404
    assert "Draft" not in client.get("/en/petitions/").content.decode()
