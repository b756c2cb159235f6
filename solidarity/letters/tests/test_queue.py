"""The volunteers' queue in the back office: approve, return with a reason, print a batch with
envelopes, mark mailed, hand over sealed letters, upload replies."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

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
    services.approve(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_printed(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_mailed(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
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

    with translation.override("en"), pytest.raises(LetterError, match="could not be read"):
        check_scan(SimpleUploadedFile("reply.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64))


def entries_of(letter) -> list[tuple[str, str]]:
    """The letter's history, oldest first: (action, author)."""
    from solidarity.audit.services import history_of

    return [(entry.action, entry.actor_label) for entry in reversed(history_of(letter))]


def test_the_queue_is_in_each_letters_history_with_the_volunteer_and_never_the_text(
    verified_client, volunteer, viktar
):
    from solidarity.audit.models import AuditEntry

    client = verified_client(volunteer)
    first, second = letter(viktar, "Первое письмо, секретный текст."), letter(viktar, "Второе письмо.")
    act(client, "approve", [first, second])
    act(client, "return_to_writer", [second], apply="1", reason="Уберите последнюю фразу.")
    act(client, "print_batch", [first])
    act(client, "mark_mailed", [first], apply="1", day="2026-11-20")
    assert entries_of(first) == [
        ("letters.letter.approved", "volunteer"),
        ("letters.letter.printed", "volunteer"),
        ("letters.letter.mailed", "volunteer"),
    ]
    assert entries_of(second) == [
        ("letters.letter.approved", "volunteer"),
        ("letters.letter.returned", "volunteer"),
    ]
    mailed = AuditEntry.objects.get(action="letters.letter.mailed")
    assert mailed.actor == volunteer and mailed.data == {"mailed_on": "2026-11-20"}
    stored = " ".join(str(row) for row in AuditEntry.objects.values())
    assert "секретный" not in stored and "Уберите" not in stored
    codename_hash = Letter.objects.get(pk=first.pk).codename_hash
    assert codename_hash and codename_hash not in stored
    page = client.get(f"{CHANGELIST}{first.pk}/change/").content.decode()
    assert 'id="audit-history"' in page
    assert "approved: letter" in page and "printed: letter" in page and "mailed: letter" in page


def test_an_action_that_moves_nothing_writes_nothing(verified_client, volunteer, viktar):
    client = verified_client(volunteer)
    waiting = letter(viktar)
    act(client, "mark_mailed", [waiting], apply="1", day="2026-11-20")  # neither approved nor printed
    act(client, "hand_over_sealed", [waiting])
    assert Letter.objects.get().state == "waiting"
    assert entries_of(waiting) == []


def test_replies_uploaded_and_deleted_by_volunteers_are_in_the_letters_history(volunteer, viktar):
    mailed = letter(viktar)
    services.approve(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_printed(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_mailed(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    reply = services.attach_reply(
        letter=mailed, scan=SimpleUploadedFile("r.pdf", b"%PDF-1.4 x"), by=volunteer
    )
    services.delete_reply(reply=reply, by=volunteer)
    assert entries_of(mailed)[-2:] == [
        ("letters.reply.attached", "volunteer"),
        ("letters.reply.deleted", "volunteer"),
    ]


def test_what_the_daily_deletion_does_is_in_the_history_by_the_process(volunteer, viktar, settings):
    sent = letter(viktar)
    services.approve(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 1))
    services.mark_printed(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 2))
    services.mark_mailed(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 2))
    services.attach_reply(letter=sent, scan=SimpleUploadedFile("r.pdf", b"%PDF-1.4 x"), by=volunteer)
    later = datetime.date.today() + datetime.timedelta(days=settings.LETTERS_UNREAD_REPLY_DAYS)
    assert services.purge(today=later) == (1, 1)
    assert entries_of(sent)[-2:] == [
        ("letters.letter.text_deleted", "purge_letters"),
        ("letters.reply.deleted", "purge_letters"),
    ]


def test_saving_a_letters_page_writes_nothing_of_the_letter(verified_client, volunteer, viktar):
    """Every field is read-only: a save of the whole row could only write back what another
    volunteer changed meanwhile."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(volunteer)
    waiting = letter(viktar)
    management = {
        "replies-TOTAL_FORMS": "0",
        "replies-INITIAL_FORMS": "0",
        "replies-MIN_NUM_FORMS": "0",
        "replies-MAX_NUM_FORMS": "1000",
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"{CHANGELIST}{waiting.pk}/change/", {**management, "_continue": "1"})
    assert response.status_code == 302
    table = Letter._meta.db_table
    assert not [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and table in q["sql"]]


def test_changes_to_the_censors_rules_are_audited_in_the_admin_and_by_the_command(
    verified_client, volunteer, rules
):
    import io

    from django.core.management import call_command

    from solidarity.audit.models import AuditEntry
    from solidarity.audit.services import history_of
    from solidarity.letters.models import RuleSet

    ruleset = RuleSet.objects.get(country="BY")
    client = verified_client(volunteer)
    page = client.get(f"/admin/letters/ruleset/{ruleset.pk}/change/").content.decode()
    assert 'id="audit-history"' in page
    rules_ = list(ruleset.rules.all())
    data = {
        "country": "BY",
        "max_characters": "2500",
        "rules-TOTAL_FORMS": str(len(rules_)),
        "rules-INITIAL_FORMS": str(len(rules_)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for i, rule in enumerate(rules_):
        data.update(
            {
                f"rules-{i}-id": str(rule.pk),
                f"rules-{i}-ruleset": str(ruleset.pk),
                f"rules-{i}-category": rule.category,
                f"rules-{i}-language": rule.language,
                f"rules-{i}-terms": rule.terms + ("\nснеговик*" if i == 0 else ""),
            }
        )
    response = client.post(f"/admin/letters/ruleset/{ruleset.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    changes = {(entry.content_type.model, entry.action) for entry in history_of(ruleset)}
    assert changes == {("ruleset", "update"), ("rule", "update"), ("ruleset", "letters.ruleset.loaded")}
    call_command("load_letter_rules", "BY", "--replace", stdout=io.StringIO())
    loaded = AuditEntry.objects.filter(action="letters.ruleset.loaded").first()
    assert loaded.actor_label == "load_letter_rules" and loaded.data["replaced"] == len(rules_)


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_marking_one_letter_mailed_at_once_move_it_once(volunteer, viktar):
    import threading
    import time

    from django.db import connection, transaction

    from solidarity.audit.models import AuditEntry

    letter(viktar)
    services.approve(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 1))
    services.mark_printed(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 2))
    moved = []

    def second_volunteer():
        try:
            moved.append(
                services.mark_mailed(
                    letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 4)
                )
            )
        finally:
            connection.close()

    with transaction.atomic():
        moved.append(
            services.mark_mailed(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 3))
        )
        other = threading.Thread(target=second_volunteer)
        other.start()
        time.sleep(0.5)  # the second waits for the first to finish
    other.join()
    assert sorted(moved) == [0, 1]
    assert Letter.objects.get().mailed_on == datetime.date(2026, 11, 3)
    assert AuditEntry.objects.filter(action="letters.letter.mailed").count() == 1


def test_a_scan_may_be_15_mb_and_not_a_byte_more():
    from solidarity.letters.services import MAX_SCAN_BYTES, LetterError, check_scan

    assert MAX_SCAN_BYTES == 15 * 1024 * 1024
    pdf = b"%PDF-1.4\n" + b"0" * (MAX_SCAN_BYTES - 9)
    assert check_scan(SimpleUploadedFile("r.pdf", pdf)) == "application/pdf"
    with pytest.raises(LetterError, match="larger than 15 MB"):
        check_scan(SimpleUploadedFile("r.pdf", pdf + b"0"))


@pytest.mark.parametrize(
    ("kind", "content_type", "mode"), [("PNG", "image/png", "RGBA"), ("JPEG", "image/jpeg", "RGB")]
)
def test_a_photo_of_a_reply_is_kept_in_its_own_format_from_its_first_byte(
    volunteer, viktar, kind, content_type, mode
):
    """A PNG stays a PNG (with its transparency), a JPEG a JPEG: only the metadata goes."""
    import io

    from PIL import Image

    picture = Image.new(mode, (20, 10), (10, 20, 30, 128)[: len(mode)])
    raw = io.BytesIO()
    picture.save(raw, format=kind)
    sent = letter(viktar)
    for step in (services.approve, services.mark_printed, services.mark_mailed):
        step(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    reply = services.attach_reply(
        letter=sent, scan=SimpleUploadedFile(f"r.{kind.lower()}", raw.getvalue()), by=volunteer
    )
    assert reply.content_type == content_type and reply.scan.name.endswith(f"{sent.pk}.{content_type[6:]}")
    with reply.scan.open("rb") as stored, Image.open(stored) as kept:
        assert (kept.format, kept.mode, kept.size) == (kind, mode, (20, 10))


@pytest.mark.parametrize("status", ["arrive", "relatives_only", "unknown"])
def test_only_a_letter_to_someone_held_incommunicado_can_be_kept_sealed(viktar, status):
    from solidarity.letters.models import Reachability

    Reachability.objects.create(
        person=viktar, status=status, as_of=datetime.date(2026, 11, 1), source_citation="A call"
    )
    with pytest.raises(services.LetterError, match="Only a letter to someone held incommunicado"):
        services.hand_over(person=viktar, body="Привет!", kind="letter", language="ru", sealed=True)
    Reachability.objects.create(
        person=viktar, status="incommunicado", as_of=datetime.date(2026, 11, 2), source_citation="A call"
    )
    assert services.hand_over(person=viktar, body="Привет!", kind="letter", language="ru", sealed=True)[
        0
    ].sealed


def test_printable_letters_are_those_not_printed_yet_unless_asked_again(volunteer, viktar):
    first, second = letter(viktar), letter(viktar, "Второе письмо.")
    services.approve(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_printed(letters=Letter.objects.filter(pk=first.pk), by=volunteer, day=datetime.date.today())
    assert list(services.printable(Letter.objects.all())) == [second]
    assert list(services.printable(Letter.objects.all(), again=True)) == [first]


def test_a_country_file_with_a_term_that_cannot_compile_is_refused_whole(monkeypatch, db):
    from django.core.exceptions import ValidationError

    from solidarity.letters import rules
    from solidarity.letters.models import Rule

    monkeypatch.setattr(
        rules,
        "country_file",
        lambda country: {
            "country": "ZZ",
            "max_characters": 100,
            "rules": [{"category": "politics", "terms": ["*"]}],
        },
    )
    with pytest.raises(ValidationError):
        services.load_rules(country="ZZ", actor_label="test")
    assert not Rule.objects.filter(ruleset__country="ZZ").exists()
