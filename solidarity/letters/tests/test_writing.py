"""A writer's pages without JavaScript: compose, check, phrasebook, PDF, hand over, follow, reply."""

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from solidarity.friends.tests.helpers import answered, codename_in
from solidarity.letters import services
from solidarity.letters.models import Letter, Reachability, Reply
from solidarity.registry.models import EventKind, Person
from solidarity.registry.tests.factories import EventFactory

from .helpers import image_bytes, pdf_pages

pytestmark = pytest.mark.django_db
CLEAN = "Здравствуйте, Виктор!\n\nУ нас выпал первый снег, и мы лепили снеговика. Желаю Вам здоровья.\n\nОля"
PNG = image_bytes("PNG")


def compose_url(person) -> str:
    return f"/en/people/{person.pk}/write/"


def post(client, person, action, **fields):
    data = {"kind": "letter", "language": "ru", "body": CLEAN, "action": action, **fields}
    return client.post(compose_url(person), data)


def hand_over(client, person, body=CLEAN, step=None, **extra):
    step = post(client, person, "hand_over", body=body, **(step or {}))
    assert step.status_code == 200
    html = step.content.decode()
    assert "Hand the letter to our volunteers" in html, html[:3000]
    fields = {
        "kind": "letter",
        "language": "ru",
        "body": body,
        "design": "",
        **answered(html),
        **extra,
    }
    return client.post(f"/en/people/{person.pk}/write/hand-over/", fields)


def test_the_profile_leads_to_the_compose_page_with_what_is_known_and_the_address(client, viktar):
    assert f'href="/en/people/{viktar.pk}/write/"' in client.get(f"/en/people/{viktar.pk}/").content.decode()
    Reachability.objects.create(
        facility=viktar.current_facility,
        status=Reachability.Status.RELATIVES_ONLY,
        as_of=datetime.date(2026, 10, 1),
        source_url="https://example.org/report",
    )
    html = client.get(compose_url(viktar)).content.decode()
    assert "only letters from relatives are handed over" in html
    assert "reported for the whole facility" in html
    assert "Шелест Виктор Петрович" in html and "ул. Володарского, 2" in html
    # A report on the person comes before the facility's.
    Reachability.objects.create(
        person=viktar,
        status=Reachability.Status.ARRIVE,
        as_of=datetime.date(2026, 11, 1),
        source_citation="A call",
    )
    html = client.get(compose_url(viktar)).content.decode()
    assert "letters arrive" in html and "A call" in html


def test_checking_marks_each_problem_and_explains_how_to_fix_it(client, viktar):
    body = "Привет! Видел новости с фронта, держись 👍"
    html = post(client, viktar, "check", body=body).content.decode()
    assert "The war: letters that mention it do not arrive." in html
    assert "Leave the war out of the letter." in html
    assert '<mark class="finding-war">фронта</mark>' in html
    assert '<mark class="finding-emoji">👍</mark>' in html
    assert body in html  # nothing the writer typed is lost
    ok = post(client, viktar, "check").content.decode()
    assert "Nothing found that would stop this letter." in ok


def test_the_phrasebook_writes_chosen_phrases_in_russian_or_belarusian(client, viktar):
    html = client.get(compose_url(viktar)).content.decode()
    assert "Hello, Viktar!" in html  # shown in the visitor's language
    assert "Здравствуйте, Виктор!" in html  # and as it will be written
    in_belarusian = client.get(f"/be/people/{viktar.pk}/write/").content.decode()
    assert "Добры дзень, Віктар!" in in_belarusian and "Здравствуйте, Виктор!" in in_belarusian
    chosen = ["greet-hello", "wish-health", "weather-snow", "close-warm-wishes"]
    page = post(client, viktar, "phrases", body="", phrases=chosen).content.decode()
    body = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert body.startswith("Здравствуйте, Виктор!")
    assert "Nothing found that would stop this letter." in page
    be = post(client, viktar, "phrases", body="", language="be", phrases=chosen).content.decode()
    assert "Добры дзень, Віктар!" in be


def test_the_pdf_downloads_with_the_letter_and_the_address(client, viktar):
    response = post(client, viktar, "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    letter, envelope = pdf_pages(response.content)
    assert "У нас выпал первый снег" in letter
    assert "Шелест Виктор Петрович" in envelope


def test_the_pdf_waits_for_a_fix_unless_the_writer_knows_the_risk(client, viktar):
    body = "Мама передаёт привет, адвокат звонил."
    refused = post(client, viktar, "pdf", body=body)
    assert refused["Content-Type"].startswith("text/html")
    assert "Change what is marked first" in refused.content.decode()
    anyway = post(client, viktar, "pdf", body=body, accept_risk="on")
    assert anyway["Content-Type"] == "application/pdf"
    empty = post(client, viktar, "pdf", body="  ")
    assert "The letter is empty" in empty.content.decode()


def test_a_postcard_prints_its_picture_page_and_its_back(client, viktar):
    response = post(client, viktar, "pdf", kind="postcard", design="cat", body="С праздником! Обнимаем.")
    front, back, _envelope = pdf_pages(response.content)
    assert "С праздником!" in back


def test_a_postcard_too_long_for_the_card_is_refused_before_the_pdf_even_at_the_writers_risk(client, viktar):
    body = "\n".join(f"Строка {n}: у нас всё хорошо, обнимаю." for n in range(1, 25))
    for risk in ({}, {"accept_risk": "on"}):
        refused = post(client, viktar, "pdf", kind="postcard", design="cat", body=body, **risk)
        assert refused["Content-Type"].startswith("text/html")
        html = refused.content.decode()
        assert "The text does not fit on the postcard" in html and "Even at your own risk" in html
        assert "Строка 24: у нас всё хорошо, обнимаю.</textarea>" in html  # nothing lost
    as_letter = post(client, viktar, "pdf", kind="letter", body=body)
    assert as_letter["Content-Type"] == "application/pdf"
    with pytest.raises(services.MustChange):
        services.hand_over(person=viktar, body=body, kind="postcard", language="ru", accepted_risk=True)
    with pytest.raises(services.MustChange):
        services.hand_over(
            person=viktar, body="Стоит 100 ₽.", kind="letter", language="ru", accepted_risk=True
        )
    assert not Letter.objects.exists()


def test_the_address_ends_with_the_country_as_post_from_abroad_reads_it(client, viktar):
    html = client.get(compose_url(viktar)).content.decode()
    last_line = viktar.current_facility.postal_address_cyrillic.splitlines()[-1]
    assert f"{last_line}<br>BELARUS</p>" in html


def test_hand_over_shows_a_codename_once_and_the_writer_follows_the_letter(client, viktar, volunteer):
    response = hand_over(client, viktar)
    codename = codename_in(response.content.decode())
    letter = Letter.objects.get()
    assert letter.state == Letter.State.WAITING and letter.body.startswith("Здравствуйте")
    assert codename not in str(Letter.objects.values().get())
    # Another device: the codename alone shows the letter.
    from django.test import Client

    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "Enter the codename" in other.get("/en/letters/follow/").content.decode()
    followed = other.post(
        "/en/letters/follow/", {"codename": codename.upper().replace(" ", "-")}, follow=True
    )
    assert "waiting for a volunteer" in followed.content.decode()
    # The volunteer returns it; the writer reads why.
    services.return_to_writer(
        letters=Letter.objects.all(), by=volunteer, day=datetime.date.today(), reason="Слишком длинно"
    )
    assert "Слишком длинно" in other.get("/en/letters/follow/").content.decode()
    wrong = Client(HTTP_ACCEPT_LANGUAGE="en").post("/en/letters/follow/", {"codename": "a b c d e f g"})
    assert "No letter is followed by this codename" in wrong.content.decode()


def test_hand_over_refuses_a_letter_with_findings_and_a_post_without_the_check(client, viktar):
    step = post(client, viktar, "hand_over", body="Привет из СИЗО")
    assert "Change what is marked first, or tick “even so”" in step.content.decode()
    assert "Hand the letter to our volunteers" not in step.content.decode()
    without_check = client.post(
        f"/en/people/{viktar.pk}/write/hand-over/", {"kind": "letter", "language": "ru", "body": CLEAN}
    )
    assert "Please answer the question." in without_check.content.decode()
    assert not Letter.objects.exists()


def test_a_writer_who_knows_the_risk_hands_over_a_marked_letter_and_volunteers_see_it(client, viktar):
    body = "Мама передаёт привет, адвокат звонил."
    response = hand_over(client, viktar, body=body, accept_risk="True", step={"accept_risk": "on"})
    assert 'id="codename"' in response.content.decode()
    letter = Letter.objects.get()
    assert letter.body == body and letter.risk_accepted
    clean = hand_over(client, viktar, with_codename="new")
    assert 'id="codename"' in clean.content.decode()
    assert not Letter.objects.exclude(pk=letter.pk).get().risk_accepted


def test_the_service_refuses_a_marked_letter_unless_the_risk_is_accepted(viktar):
    with pytest.raises(services.Flagged) as refused:
        services.hand_over(person=viktar, body="Привет из СИЗО", kind="letter", language="ru")
    assert {finding.rule for finding in refused.value.result.findings} == {"case"}
    assert not Letter.objects.exists()
    letter, _codename = services.hand_over(
        person=viktar, body="Привет из СИЗО", kind="letter", language="ru", accepted_risk=True
    )
    assert letter.risk_accepted


def test_no_letter_is_handed_over_for_someone_released(rules):
    from solidarity.catalogue.tests.helpers import prisoner

    released = prisoner(released=datetime.date(2024, 1, 1))
    with pytest.raises(services.LetterError):
        services.hand_over(person=released, body=CLEAN, kind="letter", language="ru")
    assert not Letter.objects.exists()


def test_a_letter_to_someone_held_incommunicado_can_be_kept_sealed(client, viktar):
    assert "Keep it sealed" not in post(client, viktar, "hand_over").content.decode()
    EventFactory(person=viktar, kind=EventKind.INCOMMUNICADO, date=datetime.date(2025, 2, 1))
    assert "held incommunicado" in client.get(compose_url(viktar)).content.decode()
    hand_over(client, viktar, sealed="on")
    letter = Letter.objects.get()
    assert letter.sealed and letter.state == Letter.State.WAITING  # reviewed like any letter first


def test_what_is_known_is_the_newest_of_this_detention(client, viktar):
    def status():
        return services.reachability_of(Person.objects.get(pk=viktar.pk)).status

    Reachability.objects.create(
        facility=viktar.current_facility,
        status="relatives_only",
        as_of=datetime.date(2026, 1, 1),
        source_url="https://e.org/1",
    )
    assert status() == "relatives_only"
    old = Reachability.objects.create(
        person=viktar, status="arrive", as_of=datetime.date(2020, 1, 1), source_url="https://e.org/2"
    )
    assert status() == "relatives_only"  # a report from before this detention says nothing of it
    old.as_of = datetime.date(2024, 1, 1)
    old.save()
    assert status() == "arrive"
    EventFactory(person=viktar, kind=EventKind.INCOMMUNICADO, date=datetime.date(2025, 2, 1))
    assert status() == "incommunicado"  # newer than the report
    Reachability.objects.create(
        person=viktar, status="arrive", as_of=datetime.date(2026, 3, 1), source_url="https://e.org/3"
    )
    assert status() == "arrive"


def test_a_letter_the_rules_now_stop_comes_back_to_the_writer_with_its_text(client, viktar):
    from solidarity.letters.models import Rule, RuleSet

    step = post(client, viktar, "hand_over").content.decode()
    Rule.objects.create(ruleset=RuleSet.objects.get(country="BY"), category="politics", terms="снеговик*")
    fields = {"kind": "letter", "language": "ru", "body": CLEAN, "design": "", **answered(step)}
    page = client.post(f"/en/people/{viktar.pk}/write/hand-over/", fields).content.decode()
    assert "Change what is marked first" in page and '<mark class="finding-politics">снеговика</mark>' in page
    assert "Оля</textarea>" in page
    assert not Letter.objects.exists()


def test_a_friend_follows_letters_with_the_friend_codename(client, viktar):
    from solidarity.friends.services import create_friend

    friend, codename = create_friend()
    client.post("/en/friends/restore/", {"codename": codename})
    response = hand_over(client, viktar, with_codename="mine")
    assert 'id="codename"' not in response.content.decode()
    assert Letter.objects.get().friend == friend
    assert "waiting for a volunteer" in client.get("/en/letters/follow/").content.decode()
    # Befriended, the letter counts as this month's: the friend's page stops reminding them.
    from solidarity.friends.models import Mark
    from solidarity.friends.services import befriend

    befriend(friend=friend, person=viktar)
    hand_over(client, viktar, with_codename="mine")
    assert Mark.objects.filter(friendship__friend=friend, kind="letter").count() == 1


def test_the_reply_is_read_with_the_codename_and_deleted_on_time_or_on_request(
    client, viktar, volunteer, settings, django_capture_on_commit_callbacks
):
    codename = codename_in(hand_over(client, viktar).content.decode())
    letter = Letter.objects.get()
    services.approve(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 1))
    services.mark_printed(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 2))
    services.mark_mailed(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 2))
    letter.refresh_from_db()
    reply = services.attach_reply(letter=letter, scan=SimpleUploadedFile("scan.png", PNG), by=volunteer)
    from django.test import Client

    stranger = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert stranger.get(f"/en/letters/replies/{reply.pk}/").status_code == 404
    reader = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = reader.post("/en/letters/follow/", {"codename": codename}, follow=True).content.decode()
    assert "A reply has come!" in page
    scan = reader.get(f"/en/letters/replies/{reply.pk}/")
    assert scan["Content-Type"] == "image/png" and b"".join(scan.streaming_content).startswith(b"\x89PNG")
    reply.refresh_from_db()
    read_on = reply.first_read_on
    assert read_on == datetime.date.today()
    kept = datetime.timedelta(days=settings.LETTERS_REPLY_DAYS)
    assert services.purge(today=read_on + kept - datetime.timedelta(days=1))[1] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge(today=read_on + kept)[1] == 1
    assert not Reply.objects.exists()
    assert not any(settings.PRIVATE_ROOT.joinpath("replies").iterdir())  # the file is gone too
    assert Letter.objects.get().replies_received == 1  # the count remains


def test_a_writer_deletes_a_reply_at_once(client, viktar, volunteer, settings):
    hand_over(client, viktar)
    services.approve(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_printed(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_mailed(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    reply = services.attach_reply(
        letter=Letter.objects.get(), scan=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test"), by=volunteer
    )
    unread = datetime.date.today() + datetime.timedelta(days=settings.LETTERS_UNREAD_REPLY_DAYS)
    assert services.purge(today=unread - datetime.timedelta(days=1))[1] == 0  # kept while nobody read it
    response = client.post(f"/en/letters/replies/{reply.pk}/delete/", follow=True)
    assert "The reply has been deleted." in response.content.decode()
    assert not Reply.objects.exists()
    again = services.attach_reply(
        letter=Letter.objects.get(), scan=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test"), by=volunteer
    )
    assert services.purge(today=unread)[1] == 1  # a reply never read goes too, in the end
    assert not Reply.objects.filter(pk=again.pk).exists()


def test_texts_are_deleted_after_mailing_and_only_counts_remain(client, viktar, volunteer, settings):
    hand_over(client, viktar)
    services.approve(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 1))
    services.mark_printed(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 2))
    services.mark_mailed(letters=Letter.objects.all(), by=volunteer, day=datetime.date(2026, 11, 2))
    day = datetime.date(2026, 11, 2) + datetime.timedelta(days=settings.LETTERS_TEXT_DAYS)
    assert services.purge(today=day - datetime.timedelta(days=1)) == (0, 0)
    assert services.purge(today=day) == (1, 0)
    letter = Letter.objects.get()
    assert letter.body == "" and letter.text_deleted_on == day and letter.state == Letter.State.MAILED
    assert "The text has been deleted, as promised." in client.get("/en/letters/follow/").content.decode()
    assert "1 letter has been mailed through us." in client.get(f"/en/people/{viktar.pk}/").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "telegram", "language": "ru", "body": "x"},
        {"kind": "letter", "language": "xx", "body": "x"},
        {"kind": "letter", "language": "ru", "body": "x" * 30_000},
        {
            "kind": "letter",
            "language": "ru",
            "body": "ok",
            "phrases": ["no-such-phrase"],
            "action": "phrases",
        },
        {"action": "pdf"},
    ],
)
def test_bad_input_gets_a_page_not_an_error(client, viktar, data):
    response = client.post(compose_url(viktar), data)
    assert response.status_code == 200


def test_the_compose_page_of_someone_not_in_custody_says_so(client, rules):
    from solidarity.catalogue.tests.helpers import prisoner

    released = prisoner(released=datetime.date(2024, 1, 1))
    html = client.get(compose_url(released)).content.decode()
    assert "This person is not in custody now." in html and "<textarea" not in html


def test_the_letter_evening_kit(client, viktar):
    from solidarity.catalogue.tests.helpers import prisoner

    other = prisoner(first_name_en="Andrei", last_name_en="Lisouski", birth_date=datetime.date(1990, 1, 5))
    services.hand_over(person=viktar, body=CLEAN, kind="letter", language="ru")
    assert "Make the kit" in client.get("/en/letters/evening/").content.decode()
    fewest = client.get("/en/letters/evening/", {"who": "fewest", "count": 1}).content.decode()
    assert "Andrei Lisouski" in fewest and "Viktar Shalest" not in fewest
    assert "The rules in brief" in fewest and "ул. Володарского, 2" in fewest
    chosen = client.get(
        "/en/letters/evening/", {"who": "chosen", "count": 5, "people": f"{viktar.pk}, 999999"}
    )
    assert "Viktar Shalest" in chosen.content.decode() and "Andrei Lisouski" not in chosen.content.decode()
    with time_machine.travel(datetime.datetime(2026, 11, 10, 12, tzinfo=datetime.UTC)):
        soon = client.get("/en/letters/evening/", {"who": "birthdays", "count": 5}).content.decode()
    # 3 December is 23 days ahead: a letter posted tonight (21 days) arrives in time.
    assert "Viktar Shalest" in soon and "3 December" in soon and "turns 47" in soon
    assert other.last_name_en not in soon  # 5 January is beyond the month of birthdays
    with time_machine.travel(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)):
        too_late = client.get("/en/letters/evening/", {"who": "birthdays", "count": 5}).content.decode()
    assert "Viktar Shalest" not in too_late  # 8 days ahead: no letter arrives by then
    assert other.last_name_en in too_late  # 41 days ahead
    bad = client.get("/en/letters/evening/", {"who": "all", "count": 1000})
    assert bad.status_code == 200 and "Make the kit" in bad.content.decode()


def test_a_postcard_keeps_one_of_our_designs_whatever_is_posted(viktar):
    card, _codename = services.hand_over(
        person=viktar, body="С праздником!", kind="postcard", language="ru", design="../../etc/passwd"
    )
    assert card.design == "birthday"
    letter, _codename = services.hand_over(
        person=viktar, body="Привет!", kind="letter", language="ru", design="cat"
    )
    assert letter.design == ""


def test_a_reply_file_goes_with_its_letter_however_the_letter_goes(
    viktar, volunteer, django_capture_on_commit_callbacks
):
    letter, _codename = services.hand_over(person=viktar, body=CLEAN, kind="letter", language="ru")
    services.approve(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_printed(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    services.mark_mailed(letters=Letter.objects.all(), by=volunteer, day=datetime.date.today())
    reply = services.attach_reply(
        letter=Letter.objects.get(), scan=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test"), by=volunteer
    )
    path = reply.scan.path
    import os

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Letter.objects.all().delete()
        assert os.path.exists(path)  # until the deletion is committed: a rollback keeps it
    assert not os.path.exists(path)


def test_letters_handed_over_and_codenames_tried_are_limited_per_client(client, viktar, settings):
    settings.LETTERS_LIMIT_PER_HOUR = 1
    codename = codename_in(hand_over(client, viktar).content.decode())
    refused = hand_over(client, viktar, with_codename="mine")
    assert "Too many letters from here." in refused.content.decode()
    assert "У нас выпал первый снег" in refused.content.decode()  # the letter is still there
    assert Letter.objects.count() == 1
    from django.test import Client

    guesser = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(20):
        guesser.post("/en/letters/follow/", {"codename": "a b c d e f g"})
    tried = guesser.post("/en/letters/follow/", {"codename": codename})
    assert "Too many attempts from here." in tried.content.decode()
