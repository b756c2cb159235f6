"""The volunteers' queue in the back office: approve, return with a reason, print a batch with
envelopes, mark mailed, hand over sealed letters, upload replies."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from solidarity.letters import services
from solidarity.letters.models import Letter, Reply

from .helpers import image_bytes, pdf_pages

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

    act(client, "mark_mailed", [first, second], apply="1", day="2026-11-20")  # both were printed
    mailed = Letter.objects.get(pk=first.pk)
    assert mailed.state == "mailed" and mailed.mailed_on == datetime.date(2026, 11, 20)


def test_a_letter_is_printed_once_unless_asked_again_and_mailed_only_once_printed(
    verified_client, volunteer, viktar
):
    client = verified_client(volunteer)
    first = letter(viktar, "Первое письмо.")
    act(client, "approve", [first])
    act(client, "mark_mailed", [first], apply="1", day="2026-11-20")
    assert Letter.objects.get().state == "approved"  # not printed: it cannot have been mailed
    assert len(pdf_pages(act(client, "print_batch", [first]).content)) == 2
    again = client.post(CHANGELIST, {"action": "print_batch", "_selected_action": [first.pk]}, follow=True)
    assert "None of the chosen letters is approved and not yet printed." in again.content.decode()
    assert len(pdf_pages(act(client, "print_again", [first]).content)) == 2
    act(client, "mark_mailed", [first], apply="1", day="2026-11-20")
    assert Letter.objects.get().state == "mailed"
    assert (
        "Only letters printed before"
        in client.post(
            CHANGELIST, {"action": "print_again", "_selected_action": [first.pk]}, follow=True
        ).content.decode()
    )


def test_sealed_letters_are_reviewed_printed_kept_and_handed_over_on_release(
    verified_client, volunteer, viktar
):
    from solidarity.registry.models import EventKind
    from solidarity.registry.services import refresh_all_derived_fields
    from solidarity.registry.tests.factories import EventFactory

    EventFactory(person=viktar, kind=EventKind.INCOMMUNICADO, date=datetime.date(2025, 2, 1))
    sealed = letter(viktar, "Письмо до освобождения.", sealed=True)
    client = verified_client(volunteer)
    act(client, "approve", [sealed])
    assert Letter.objects.get().state == "sealed"
    pages = pdf_pages(act(client, "print_batch", [sealed]).content)
    assert "Письмо до освобождения." in pages[0]
    act(client, "mark_mailed", [sealed], apply="1", day="2026-11-20")
    assert Letter.objects.get().state == "sealed"  # never mailed by mistake
    act(client, "hand_over_sealed", [sealed])
    assert Letter.objects.get().state == "sealed"  # still held: nobody to hand it to
    EventFactory(person=viktar, kind=EventKind.RELEASED, date=datetime.date(2026, 11, 1))
    refresh_all_derived_fields()
    act(client, "hand_over_sealed", [sealed])
    handed = Letter.objects.get()
    assert handed.state == "handed_over" and handed.mailed_on == datetime.date.today()


def test_a_reply_is_uploaded_against_a_mailed_letter_and_must_be_a_scan(
    verified_client, volunteer, viktar, settings
):
    mailed = letter(viktar)
    services.approve(Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_printed(Letter.objects.all(), day=datetime.date.today())
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
    accepted = upload("reply.jpg", image_bytes("JPEG", exif={0x010F: "PhoneMaker", 0x0110: "Model X"}))
    assert "The reply was uploaded" in accepted.content.decode()
    reply = Reply.objects.get()
    assert reply.content_type == "image/jpeg"
    stored = reply.scan.read()
    assert stored.startswith(b"\xff\xd8\xff") and b"PhoneMaker" not in stored  # the photo's tags are gone
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


def test_a_broken_image_is_refused_before_anything_is_saved(volunteer, viktar):
    from solidarity.letters.services import LetterError, check_scan

    with pytest.raises(LetterError, match="could not be read"):
        check_scan(SimpleUploadedFile("reply.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64))
