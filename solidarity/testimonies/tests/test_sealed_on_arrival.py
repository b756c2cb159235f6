"""A testimony is sealed before anything is written: after a submission with a marker in the
answers and in a file, no table, no file under the media and private roots and no temporary file
holds the marker or the file's bytes; the legal team's private key opens it all, byte for byte."""

import hashlib
import json
import re
import tempfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models as django_models

from solidarity.friends import codenames
from solidarity.friends import services as friends
from solidarity.testimonies import models, sealing, services
from solidarity.testimonies.models import CustodyEvent, SealedChunk, SealedFile

from .helpers import MARKER, photo_with_gps, random_file, sealed_bytes, ticketed, upload, witness_form

pytestmark = pytest.mark.django_db


def codename_on(html: str) -> str:
    return re.search(r'<p class="codename" id="codename">([^<]+)</p>', html).group(1)


def everything_stored() -> list[bytes]:
    """Every value of every row of every table, as bytes."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed:
            continue  # no table of ours (django-rq's dashboard)
        for row in model.objects.values_list():
            for value in row:
                found.append(bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode())
    return found


def files_under(*roots: Path) -> list[Path]:
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def roots(tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    return [settings.MEDIA_ROOT, settings.PRIVATE_ROOT, temporary]


def submit(client, files, photos="original", **fields):
    return client.post(
        ticketed(f"/en/testimonies/new/?photos={photos}"), {**witness_form(**fields), "attachments": files}
    )


def test_nothing_of_a_testimony_is_stored_in_the_clear_and_the_private_key_opens_it_all(
    client, legal_team, roots
):
    document = random_file(3_000_000)  # past Django's 2.5 MB, where it would spool to a temporary file
    photo = photo_with_gps()
    response = submit(
        client,
        [upload("statement.pdf", document, "application/pdf"), upload("IMG_1.jpg", photo, "image/jpeg")],
    )
    assert response.status_code == 200, response.content.decode()[-2000:]
    html = response.content.decode()
    assert "Your testimony arrived, sealed" in html and "no-store" in response["Cache-Control"]
    testimony = models.Testimony.objects.get()
    assert testimony.consent_legal_team and testimony.consent_court and not testimony.consent_publication

    stored = everything_stored()
    assert not [value for value in stored if MARKER.encode() in value]
    assert not [value for value in stored if b"statement.pdf" in value or b"Okrestina" in value]
    assert files_under(*roots) == []  # sealed into the database: no file dates the upload
    for sealed in SealedFile.objects.all():
        content = sealed_bytes(sealed)
        assert len(content) == sealed.size and sealed.chunks.count() >= 1
        assert document[1000:1064] not in content and photo[200:264] not in content

    (answers,) = testimony.parts.all()
    opened = json.loads(sealing.unseal(answers.sealed, legal_team))
    assert opened["answers"]["what_happened"].endswith(MARKER) and opened["answers"]["place"] == "Okrestina"
    originals = {}
    for sealed in SealedFile.objects.all():
        meta = json.loads(sealing.unseal(sealed.sealed_meta, legal_team))
        key = sealing.unseal(sealed.sealed_key, legal_team)
        plain = b"".join(sealing.open_file(iter([sealed_bytes(sealed)]), key))
        assert hashlib.sha256(plain).hexdigest() == meta["sha256"] and len(plain) == meta["size"]
        originals[meta["name"]] = (plain, meta)
    assert originals["statement.pdf"][0] == document
    assert originals["IMG_1.jpg"][0] == photo  # as taken: its data is evidence
    assert originals["IMG_1.jpg"][1]["metadata_removed"] is False
    assert list(CustodyEvent.objects.values_list("reference", "what", "role")) == [
        (testimony.reference, "received", "site")
    ]


def test_a_witness_who_asks_gets_photos_sealed_without_location_or_device(client, legal_team, roots):
    import io

    from PIL import Image

    submit(client, [upload("IMG_2.jpg", photo_with_gps(), "image/jpeg")], photos="clean")
    sealed = SealedFile.objects.get()
    meta = json.loads(sealing.unseal(sealed.sealed_meta, legal_team))
    key = sealing.unseal(sealed.sealed_key, legal_team)
    plain = b"".join(sealing.open_file(iter([sealed_bytes(sealed)]), key))
    assert meta["metadata_removed"] is True
    with Image.open(io.BytesIO(plain)) as picture:
        assert dict(picture.getexif()) == {} and picture.size == (640, 480)


def test_a_file_over_the_limit_is_dropped_unread_and_nothing_is_kept(client, legal_team, roots, settings):
    settings.TESTIMONY_MAX_BYTES = 100_000
    response = submit(
        client,
        [
            upload("small.bin", random_file(1000), "application/octet-stream"),
            upload("big.bin", random_file(200_000), "application/octet-stream"),
        ],
    )
    assert response.status_code == 200
    assert "A file was too large, or there were too many: nothing was sent." in response.content.decode()
    assert not models.Testimony.objects.exists() and files_under(*roots) == []
    assert not SealedFile.objects.exists()


def test_a_refused_form_keeps_none_of_its_sealed_files(client, legal_team, roots):
    response = submit(
        client, [upload("a.bin", random_file(5000), "application/octet-stream")], what_happened=""
    )
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert files_under(*roots) == [] and not models.Testimony.objects.exists()
    assert not SealedFile.objects.exists()


def test_without_the_legal_teams_key_the_form_is_closed_and_takes_nothing(client, settings, roots):
    settings.TESTIMONY_PUBLIC_KEY = ""
    assert "the legal team's key is not set" in client.get("/en/testimonies/").content.decode()
    response = submit(client, [upload("a.bin", random_file(5000), "application/octet-stream")])
    assert "the legal team&#x27;s key is not set" in response.content.decode()
    assert not models.Testimony.objects.exists() and files_under(*roots) == []
    assert not SealedFile.objects.exists()


def test_the_witnesss_codename_and_a_friends_cannot_be_linked(client, legal_team, roots, monkeypatch):
    from solidarity.catalogue.tests.helpers import prisoner

    _friend, shared = friends.befriend_with_new_codename(person=prisoner())
    monkeypatch.setattr(services, "new_codename", lambda language: shared)  # the very same words
    submit(client, [])
    testimony = models.Testimony.objects.get()
    assert testimony.follow_up != codenames.key_hash(shared)
    assert services.find(shared) == testimony and friends.find_friend(shared) is not None

    def values_of(app: str) -> set:
        return {
            bytes(value) if isinstance(value, memoryview) else value
            for model in apps.get_app_config(app).get_models()
            for row in model.objects.values_list()
            for value in row
            if isinstance(value, str | bytes | memoryview) and len(value) >= 16
        }

    assert not values_of("friends") & values_of("testimonies")


def test_a_configured_private_key_fails_the_check(settings, monkeypatch):
    public, private = sealing.new_key_pair()
    settings.TESTIMONY_PUBLIC_KEY = private
    with pytest.raises(SystemCheckError, match="holds a private key"):
        call_command("check")
    settings.TESTIMONY_PUBLIC_KEY = public
    monkeypatch.setenv("TESTIMONY_PRIVATE_KEY", private)
    with pytest.raises(SystemCheckError, match="must never hold the legal team's private key"):
        call_command("check")
    monkeypatch.delenv("TESTIMONY_PRIVATE_KEY")
    call_command("check")  # the public key alone passes


def test_nothing_the_app_keeps_is_dated_finer_than_the_day():
    for model in apps.get_app_config("testimonies").get_models():
        for field in model._meta.get_fields():
            assert not isinstance(field, django_models.DateTimeField | django_models.TimeField), field


def test_a_post_without_a_ticket_from_our_page_or_with_a_used_one_seals_no_file(client, legal_team, roots):
    attachment = upload("a.bin", random_file(5000), "application/octet-stream")
    response = client.post(
        "/en/testimonies/new/?photos=original", {**witness_form(), "attachments": [attachment]}
    )
    assert "its files were not taken, and nothing was sent" in response.content.decode()
    assert not models.Testimony.objects.exists() and not SealedFile.objects.exists()

    address = ticketed("/en/testimonies/new/?photos=original")
    attachment.seek(0)
    client.post(address, {**witness_form(), "attachments": [attachment]})
    assert models.Testimony.objects.count() == 1 and SealedFile.objects.count() == 1
    attachment.seek(0)
    replayed = client.post(address, {**witness_form(), "attachments": [attachment]})
    assert "its files were not taken" in replayed.content.decode()
    assert models.Testimony.objects.count() == 1 and SealedFile.objects.count() == 1
    # Words alone need no ticket: a witness without files is never turned away.
    client.post("/en/testimonies/new/?photos=original", witness_form())
    assert models.Testimony.objects.count() == 2


def test_the_form_page_hands_out_a_ticket_that_its_post_can_use(client, legal_team, roots):
    page = client.get("/en/testimonies/new/").content.decode()
    action = re.search(r'class="testimony-form" action="([^"]+)"', page).group(1).replace("&amp;", "&")
    client.post(action, {**witness_form(), "attachments": [upload("a.bin", random_file(500), "x/y")]})
    assert SealedFile.objects.filter(testimony__isnull=False).count() == 1


def test_past_the_pending_ceiling_files_are_refused_and_the_answers_stay(client, legal_team, roots, settings):
    settings.TESTIMONY_PENDING_BYTES = 10_000
    SealedFile.objects.create(stored_name="cut-off-upload", size=20_000)  # a post that never finished
    response = submit(client, [upload("a.bin", random_file(500), "application/octet-stream")])
    html = response.content.decode()
    assert "Too many files are arriving at once" in html and "Okrestina" in html
    assert not models.Testimony.objects.exists() and SealedFile.objects.count() == 1


def test_pending_files_of_posts_that_never_finished_go_after_a_day(legal_team):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    old = SealedFile.objects.create(stored_name="old", added_on=today - datetime.timedelta(days=2))
    SealedChunk.objects.create(file=old, number=0, data=b"x" * 10)
    SealedFile.objects.create(stored_name="arriving", added_on=today - datetime.timedelta(days=1))
    services.purge(today)
    assert list(SealedFile.objects.values_list("stored_name", flat=True)) == ["arriving"]
    assert not SealedChunk.objects.exists()


def test_an_upload_cut_off_keeps_nothing_of_its_file(legal_team, rf):
    import contextlib

    from django.core.files.uploadhandler import StopFutureHandlers

    from solidarity.testimonies import uploads

    request = rf.post(ticketed("/en/testimonies/new/?photos=original"))
    handler = uploads.SealingUploadHandler(request)
    handler.handle_raw_input(None, {}, 10_000_000, b"x")
    with contextlib.suppress(StopFutureHandlers):
        handler.new_file("attachments", "video.mp4", "video/mp4", None)
    for number in range(20):  # past one row: some ciphertext is already written
        handler.receive_data_chunk(random_file(64 * 1024), number * 64 * 1024)
    assert SealedChunk.objects.exists()
    handler.upload_interrupted()
    assert not SealedFile.objects.exists() and not SealedChunk.objects.exists()


@pytest.mark.parametrize("path", ["/en/testimonies/new", "/testimonies/new/", "/en/testimonies/follow/"])
def test_a_file_posted_anywhere_under_the_app_never_reaches_a_temporary_file(client, legal_team, roots, path):
    client.post(
        path,
        {
            **witness_form(),
            "attachments": [upload("big.bin", random_file(3_000_000), "application/octet-stream")],
        },
    )
    assert files_under(*roots) == [] and not SealedFile.objects.exists()  # dropped unread
    assert not models.Testimony.objects.exists()


def test_a_broken_photo_to_be_cleaned_is_sealed_as_it_came_and_the_witness_is_told(client, legal_team, roots):
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"junk" * 50
    response = submit(client, [upload("x.png", broken, "image/png")], photos="clean")
    assert response.status_code == 200
    assert "1 file could not be cleaned of its location and device data" in response.content.decode()
    meta = json.loads(sealing.unseal(SealedFile.objects.get().sealed_meta, legal_team))
    assert meta["metadata_removed"] is False and meta["size"] == len(broken)


def test_bytes_after_the_final_chunk_are_refused():
    sealer = sealing.FileSealer()
    body = sealer.header + sealer.push(b"x" * sealing.CHUNK * 2) + sealer.finish()
    assert b"".join(sealing.open_file(iter([body]), sealer.key)) == b"x" * sealing.CHUNK * 2
    with pytest.raises(sealing.Broken):
        list(sealing.open_file(iter([body + b"\x00" * 40]), sealer.key))
    with pytest.raises(sealing.Broken):
        list(sealing.open_file(iter([body[:-1]]), sealer.key))


def test_a_malformed_key_closes_the_form_and_breaks_no_other_upload(client, settings, roots):
    settings.TESTIMONY_PUBLIC_KEY = "not a key"
    assert services.public_key() is None
    assert "the legal team's key is not set" in client.get("/en/testimonies/").content.decode()
    with pytest.raises(SystemCheckError, match="not an X25519 public key"):
        call_command("check")


def test_a_codename_typed_with_decomposed_letters_opens_the_testimony(client, legal_team, roots):
    import unicodedata

    response = submit(client, [])
    codename = codename_on(response.content.decode())
    assert services.find(unicodedata.normalize("NFD", codename)) == models.Testimony.objects.get()


def test_a_private_key_beside_the_public_key_file_is_warned_of(tmp_path, monkeypatch, settings):
    from solidarity.testimonies import offline
    from solidarity.testimonies.apps import only_a_public_key

    offline.main(["keygen", str(tmp_path / "team")])
    settings.TESTIMONY_PUBLIC_KEY = (tmp_path / "team" / "public.key").read_text()
    monkeypatch.setenv("TESTIMONY_PUBLIC_KEY_FILE", str(tmp_path / "team" / "public.key"))
    assert [problem.id for problem in only_a_public_key()] == ["testimonies.W001"]
    (tmp_path / "team" / "private.key").unlink()
    assert only_a_public_key() == []


def test_files_sealed_by_the_first_version_move_into_rows(roots):
    import importlib

    from django.conf import settings

    moving = importlib.import_module("solidarity.testimonies.migrations.0002_sealed_files_in_the_database")
    sealed = SealedFile.objects.create(stored_name="from-disk")
    folder = Path(settings.PRIVATE_ROOT) / "testimonies"
    folder.mkdir(parents=True)
    ciphertext = random_file(moving.ROW_BYTES + 10)
    (folder / "from-disk.sealed").write_bytes(ciphertext)
    moving.files_into_rows(apps, None)
    assert sealed_bytes(sealed) == ciphertext and sealed.chunks.count() == 2
    assert list(folder.iterdir()) == []
