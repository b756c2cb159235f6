"""After the submission: the witness follows up with the codename (sees it arrived, adds to it,
withdraws consent, reads the legal team's questions, which only the codename opens); the legal
team handles testimonies unopened, exports sealed bundles that the offline tool opens byte for
byte, and confirms receipt, which deletes the sealed data and keeps the custody."""

import datetime
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from solidarity.testimonies import models, offline, sealing, services
from solidarity.testimonies.models import CustodyEvent, Question, SealedChunk, SealedFile, SealedPart

from .helpers import MARKER, photo_with_gps, random_file, ticketed, upload, witness_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_root(tmp_path, settings):
    settings.PRIVATE_ROOT = tmp_path / "private"
    return settings.PRIVATE_ROOT


def submitted(client, files=()) -> tuple[models.Testimony, str]:
    response = client.post(
        ticketed("/en/testimonies/new/?photos=original"), {**witness_form(), "attachments": list(files)}
    )
    codename = re.search(r'<p class="codename" id="codename">([^<]+)</p>', response.content.decode()).group(1)
    return models.Testimony.objects.get(), codename


def test_the_witness_follows_up_adds_and_withdraws_with_the_codename(client, legal_team, private_root):
    testimony, codename = submitted(client)
    page = client.post("/en/testimonies/follow/", {"codename": codename.upper() + "  "}).content.decode()
    assert "Your testimony" in page and "No questions yet." in page
    assert "no-store" in client.post("/en/testimonies/follow/", {"codename": codename})["Cache-Control"]
    page = client.post(
        ticketed("/en/testimonies/follow/add/?photos=original"),
        {
            "codename": codename,
            "text": f"I remembered the date. {MARKER}",
            "attachments": [upload("b.bin", random_file(2000), "application/octet-stream")],
        },
    ).content.decode()
    assert "Added and sealed." in page
    addition = testimony.parts.get(kind=SealedPart.Kind.ADDITION)
    assert MARKER in json.loads(sealing.unseal(addition.sealed, legal_team))["answers"]["addition"]
    assert testimony.files.count() == 1
    page = client.post(
        "/en/testimonies/follow/withdraw/", {"codename": codename, "sure": "on"}
    ).content.decode()
    assert "Your consent is withdrawn" in page
    testimony.refresh_from_db()
    assert testimony.withdrawn_on == timezone.localdate() and not testimony.consent_court
    assert list(CustodyEvent.objects.values_list("what", flat=True)) == ["received", "added", "withdrawn"]


def test_a_wrong_codename_opens_nothing_and_guessing_is_limited_where_clients_are_told_apart(
    client, legal_team, private_root, settings
):
    submitted(client)
    follow = "/en/testimonies/follow/"
    assert (
        "No testimony has this codename."
        in client.post(follow, {"codename": "not my words"}).content.decode()
    )
    for _ in range(40):  # every Tor visitor comes from one address: nobody is locked out for another
        client.post(follow, {"codename": "still not my words"})
    assert "No testimony has this codename." in client.post(follow, {"codename": "x y"}).content.decode()
    settings.BEHIND_PROXY = True
    for _ in range(30):
        client.post(follow, {"codename": "still not my words"}, HTTP_X_FORWARDED_FOR="192.0.2.7")
    refused = client.post(follow, {"codename": "x y"}, HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert "Too many attempts from here" in refused.content.decode()


def test_a_question_is_readable_with_the_codename_and_by_no_other_means(client, legal_team, private_root):
    testimony, codename = submitted(client)
    services.ask(testimony, text="Which cell were you held in? QUESTION-MARK")
    question = Question.objects.get()
    assert b"QUESTION-MARK" not in bytes(question.sealed)
    assert services.questions_for(testimony, codename) == [
        (timezone.localdate(), "Which cell were you held in? QUESTION-MARK")
    ]
    with pytest.raises(sealing.Broken):
        sealing.unseal(question.sealed, legal_team)  # not even the legal team's key opens it
    with pytest.raises(sealing.Broken):
        services.questions_for(testimony, "some other words here")
    page = client.post("/en/testimonies/follow/", {"codename": codename}).content.decode()
    assert "Which cell were you held in? QUESTION-MARK" in page


def test_the_legal_team_exports_a_bundle_that_the_offline_tool_opens_byte_for_byte(
    verified_client, client, legal_team, private_root, tmp_path
):
    from solidarity.staff.services import create_staff_member
    from solidarity.staff.tests.helpers import PASSWORD

    document, photo = random_file(150_000), photo_with_gps()
    testimony, _codename = submitted(
        client, [upload("report.pdf", document, "application/pdf"), upload("p.jpg", photo, "image/jpeg")]
    )
    client.logout()
    lawyer = create_staff_member(username="lawyer", roles=["testimony reviewer"], password=PASSWORD).user
    staff = verified_client(lawyer)
    listing = staff.get("/admin/testimonies/testimony/").content.decode()
    assert testimony.reference in listing and "report.pdf" not in listing
    response = staff.post(
        "/admin/testimonies/testimony/", {"action": "export_bundle", "_selected_action": [testimony.pk]}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(b"".join(response.streaming_content))
    with zipfile.ZipFile(bundle) as archive:
        assert MARKER.encode() not in b"".join(archive.read(name) for name in archive.namelist())
        assert {info.date_time[3:] for info in archive.infolist()} == {(0, 0, 0)}  # days, not times
    assert list((private_root / "testimonies").glob("*.zip")) == []  # the export's file goes with it

    key_file = tmp_path / "private.key"
    key_file.write_text(sealing.PRIVATE_MARK + sealing.encode_key(legal_team))
    assert offline.main(["open", str(bundle), "--key", str(key_file), "--out", str(tmp_path / "out")]) == 0
    folder = tmp_path / "out" / testimony.reference
    assert (folder / "originals" / "report.pdf").read_bytes() == document
    assert (folder / "originals" / "p.jpg").read_bytes() == photo
    manifest = json.loads((folder / "manifest.json").read_text())
    assert [f["hash_matches"] for f in manifest["files"]] == [True, True]
    assert [event["what"] for event in manifest["custody"]] == ["received", "exported"]
    assert MARKER in (folder / "answers.json").read_text()

    testimony.refresh_from_db()
    assert testimony.status == models.Testimony.Status.EXPORTED
    staff.post(
        "/admin/testimonies/testimony/",
        {"action": "confirm_received", "_selected_action": [testimony.pk]},
    )
    confirmed = models.Testimony.objects.get()  # the row stays, for the witness's follow-up
    assert confirmed.status == "confirmed" and not confirmed.parts.exists() and not confirmed.files.exists()
    assert not SealedChunk.objects.exists() and list((private_root / "testimonies").iterdir()) == []
    assert list(CustodyEvent.objects.values_list("what", "role")) == [
        ("received", "site"),
        ("exported", "legal team"),
        ("confirmed", "legal team"),
        ("deleted", "legal team"),
    ]


def test_a_testimony_not_exported_or_added_to_since_cannot_be_confirmed(client, legal_team, private_root):
    testimony, codename = submitted(client)
    with pytest.raises(services.NotAllowed, match="Export it first"):
        services.confirm_received(testimony)
    Path(services.export([testimony])).unlink()
    services.add(testimony, text="One more thing.", files=[], language="en")
    with pytest.raises(services.NotAllowed, match="Export it first"):
        services.confirm_received(testimony)  # the addition is in no export yet
    assert testimony.parts.count() == 2


def test_retention_deletes_what_was_kept_past_its_time_and_logs_it_without_content(
    client, legal_team, private_root
):
    testimony, _codename = submitted(client, [upload("a.bin", random_file(3000), "application/octet-stream")])
    assert services.purge(testimony.delete_after) == 0
    assert SealedChunk.objects.exists()
    assert services.purge(testimony.delete_after + datetime.timedelta(days=1)) == 1
    assert not models.Testimony.objects.exists() and not SealedFile.objects.exists()
    assert not SealedChunk.objects.exists()
    assert CustodyEvent.objects.filter(
        what="deleted", role="retention", reference=testimony.reference
    ).exists()


def test_staff_without_the_legal_role_see_no_testimonies(verified_client, editor):
    assert verified_client(editor).get("/admin/testimonies/testimony/").status_code == 403


def test_every_page_of_the_app_is_no_store_and_has_the_leave_button(client, legal_team):
    for url in ("/en/testimonies/", "/en/testimonies/new/", "/en/testimonies/follow/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert 'action="/en/testimonies/leave/"' in response.content.decode(), url
    leave = client.get("/en/testimonies/leave/")
    assert leave.status_code == 302 and leave["Clear-Site-Data"] == '"cache", "cookies", "storage"'


def test_the_answers_pdf_of_the_offline_tool_reads_back(client, legal_team, private_root, tmp_path):
    from pypdf import PdfReader

    testimony, _codename = submitted(client)
    bundle = services.export([testimony])
    key_file = tmp_path / "private.key"
    key_file.write_text(sealing.PRIVATE_MARK + sealing.encode_key(legal_team))
    offline.main(["open", str(bundle), "--key", str(key_file), "--out", str(tmp_path / "out")])
    pdf = tmp_path / "out" / testimony.reference / "answers.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "They beat us in the corridor." in text
    Path(bundle).unlink()
