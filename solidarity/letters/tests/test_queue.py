"""The volunteers' queue in the back office: approve, return with a reason, print a batch with
envelopes, mark mailed, hand over sealed letters, upload replies."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from solidarity.letters import services
from solidarity.letters.models import Letter, Reply

from .helpers import pdf_pages

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/letters/letter/"


def letter(person, body="Здравствуйте! У нас весна.", **fields) -> Letter:
    return services.hand_over(person=person, body=body, kind="letter", language="ru", **fields)[0]


def act(client, action, letters, **extra):
    data = {"action": action, "_selected_action": [item.pk for item in letters], **extra}
    return client.post(CHANGELIST, data)


def test_a_volunteer_approves_returns_prints_and_marks_mailed(verified_client, volunteer, viktar):
    client = verified_client(volunteer)
    first, second, third = (letter(viktar, f"Письмо номер {n}. Обнимаем.") for n in (1, 2, 3))
    assert "Письмо номер 1" in client.get(f"{CHANGELIST}{first.pk}/change/").content.decode()

    act(client, "approve", [first, second])
    assert set(Letter.objects.values_list("state", flat=True)) == {"approved", "waiting"}
    assert Letter.objects.get(pk=first.pk).decided_by == volunteer

    asked = act(client, "return_to_writer", [third])
    assert "Why the letter is returned" in asked.content.decode()
    assert Letter.objects.get(pk=third.pk).state == "waiting"
    act(client, "return_to_writer", [third], apply="1", reason="")  # a reason is required
    assert Letter.objects.get(pk=third.pk).state == "waiting"
    act(client, "return_to_writer", [third], apply="1", reason="Уберите, пожалуйста, последнюю фразу.")
    returned = Letter.objects.get(pk=third.pk)
    assert returned.state == "returned" and returned.return_reason.startswith("Уберите")

    batch = act(client, "print_batch", [first, second, third])
    assert batch["Content-Type"] == "application/pdf"
    pages = pdf_pages(batch.content)
    assert len(pages) == 4  # two letters, each with its envelope; the returned one is not printed
    assert "Письмо номер 1." in pages[0] and "Шелест Виктор Петрович" in pages[1]
    assert "Письмо номер 2." in pages[2] and "ул. Володарского, 2" in pages[3]
    assert Letter.objects.get(pk=first.pk).printed_on == datetime.date.today()

    act(client, "mark_mailed", [first, second], apply="1", day="2026-11-20")
    mailed = Letter.objects.get(pk=first.pk)
    assert mailed.state == "mailed" and mailed.mailed_on == datetime.date(2026, 11, 20)


def test_sealed_letters_wait_for_release_and_are_then_handed_over(verified_client, volunteer, viktar):
    from solidarity.registry.models import EventKind
    from solidarity.registry.tests.factories import EventFactory

    EventFactory(person=viktar, kind=EventKind.INCOMMUNICADO, date=datetime.date(2025, 2, 1))
    sealed = letter(viktar, sealed=True)
    client = verified_client(volunteer)
    act(client, "mark_mailed", [sealed], apply="1", day="2026-11-20")
    assert Letter.objects.get().state == "sealed"  # never mailed by mistake
    act(client, "hand_over_sealed", [sealed])
    handed = Letter.objects.get()
    assert handed.state == "handed_over" and handed.mailed_on == datetime.date.today()


def test_a_reply_is_uploaded_against_a_mailed_letter_and_must_be_a_scan(
    verified_client, volunteer, viktar, settings
):
    mailed = letter(viktar)
    services.approve(Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_mailed(Letter.objects.all(), day=datetime.date.today())
    client = verified_client(volunteer)
    url = f"{CHANGELIST}{mailed.pk}/change/"

    def upload(name, content):
        return client.post(
            url,
            {
                "replies-TOTAL_FORMS": "1",
                "replies-INITIAL_FORMS": "0",
                "replies-MIN_NUM_FORMS": "0",
                "replies-MAX_NUM_FORMS": "1000",
                "replies-0-scan": SimpleUploadedFile(name, content),
                "_continue": "1",
            },
            follow=True,
        )

    refused = upload("reply.png", b"<script>alert(1)</script>")
    assert "The scan must be a PDF, PNG or JPEG file." in refused.content.decode()
    assert not Reply.objects.exists()
    accepted = upload("reply.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    assert "The reply was uploaded" in accepted.content.decode()
    reply = Reply.objects.get()
    assert reply.content_type == "image/jpeg"
    assert str(reply.scan.path).startswith(str(settings.PRIVATE_ROOT))
    assert Letter.objects.get().replies_received == 1
    page = client.get(url).content.decode()
    assert reply.scan.url in page  # volunteers can open what they uploaded, and only they
    assert b"".join(client.get(reply.scan.url).streaming_content).startswith(b"\xff\xd8\xff")
    from django.test import Client

    assert Client().get(reply.scan.url).status_code == 302


def test_an_editor_does_not_see_the_letters_and_nobody_adds_one_by_hand(
    verified_client, editor, volunteer, viktar
):
    letter(viktar)
    assert verified_client(editor).get(CHANGELIST).status_code == 403
    from django.test import Client

    assert Client().get(CHANGELIST).status_code == 302  # not logged in: to the login page


def test_a_volunteer_cannot_add_a_letter(verified_client, volunteer, rules):
    assert verified_client(volunteer).get(f"{CHANGELIST}add/").status_code == 403


def test_reachability_and_rules_are_edited_by_volunteers_with_a_source(verified_client, volunteer, viktar):
    client = verified_client(volunteer)
    response = client.post(
        "/admin/letters/reachability/add/",
        {
            "person": viktar.pk,
            "status": "arrive",
            "as_of": "2026-11-01",
            "source_url": "",
            "source_citation": "",
        },
    )
    assert "Give a source" in response.content.decode()
    response = client.post(
        "/admin/letters/reachability/add/",
        {
            "person": viktar.pk,
            "status": "arrive",
            "as_of": "2026-11-01",
            "source_citation": "A letter came back",
        },
    )
    assert response.status_code == 302
    assert services.reachability_of(viktar).status == "arrive"
    assert client.get("/admin/letters/ruleset/").status_code == 200
