"""The magazine's back office, as staff use it: an author writes with a photo and sends it for
review; an editor sees the safety notes, records the review, approves and schedules; revisions
show their differences and restore; nobody edits an approved article but an editor."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as Pillow

from solidarity.audit.models import AuditEntry
from solidarity.catalogue.tests.helpers import prisoner
from solidarity.magazine import images, services
from solidarity.magazine.models import Article, Image, SafetyReview

from .helpers import COMPLETE_REVIEW, article, photo_with_metadata, review, staff

pytestmark = pytest.mark.django_db

ADD = "/admin/magazine/article/add/"


def form_data(**fields) -> dict:
    data = {
        "slug": "forty-envelopes",
        "kind": "story",
        "title_be": "",
        "title_ru": "Сорок конвертов",
        "title_en": "Forty envelopes",
        "lead_be": "",
        "lead_ru": "",
        "lead_en": "A letter evening.",
        "body_be": "",
        "body_ru": "По четвергам пишут письма.",
        "body_en": "On Thursdays we write.\n\n![](image:NEW)",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    return {**data, **fields}


def workflow(pk: int) -> str:
    return f"/admin/magazine/article/{pk}/workflow/"


def test_an_author_writes_with_a_photo_that_loses_its_metadata_on_upload(verified_client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    person = prisoner()
    client = verified_client(staff("ales", "author"))
    response = client.post(
        ADD,
        form_data(
            subjects=[person.pk],
            **{
                "images-TOTAL_FORMS": "1",
                "images-0-upload": photo_with_metadata(),
                "images-0-blur": "10 10 20 20",
                "images-0-alt_en": "An empty courtroom",
                "images-0-alt_ru": "Пустой зал суда",
                "images-0-caption_en": "",
                "images-0-credit": "",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    item = Article.objects.get()
    assert item.status == Article.Status.DRAFT and list(item.subjects.all()) == [person]
    image = Image.objects.get()
    assert image.widths == [480, 960, 1200] and image.blurred == "10 10 20 20"
    stored = Pillow.open(images.folder() / f"{image.name}-1200.jpg")
    assert dict(stored.getexif()) == {} and "exif" not in stored.info
    assert [path.name for path in images.folder().iterdir() if not path.name.startswith(image.name)] == []
    assert item.revisions.count() == 1
    assert AuditEntry.objects.filter(action="create", object_id=str(item.pk)).exists()

    page = client.get(workflow(item.pk)).content.decode()
    assert "Send for review" in page and "Approve" not in page
    client.post(workflow(item.pk), {"move": "submit"})
    item.refresh_from_db()
    assert item.status == Article.Status.IN_REVIEW
    page = client.get(workflow(item.pk)).content.decode()
    assert "Record the safety review" not in page  # an author does not review


def test_an_image_without_a_description_or_with_bad_areas_is_refused_and_nothing_is_lost(
    verified_client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    client = verified_client(staff("ales", "author"))
    response = client.post(
        ADD,
        form_data(
            **{
                "images-TOTAL_FORMS": "1",
                "images-0-upload": photo_with_metadata(),
                "images-0-blur": "10 10",
                "images-0-alt_en": "",
            }
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Describe the picture for those who cannot see it." in html
    assert "four numbers, left top width height" in html
    assert "On Thursdays we write." in html  # what was typed is kept in the form
    assert not Article.objects.exists() and not images.folder().exists()


def test_an_editor_sees_the_safety_notes_records_the_review_and_schedules(verified_client):
    held = prisoner(last_name_ru="Ковальчук", last_name_be="Ковальчук", first_name_ru="Игорь")
    item = article(body_ru="Игорь Ковальчук из камеры 12 передал привет 14 марта.")
    services.submit(item, by=staff("ales", "author"))
    client = verified_client(staff("olga", "editor"))
    page = client.get(workflow(item.pk)).content.decode()
    notes = re.search(r'<ul id="safety-notes">(.*?)</ul>', page, re.S).group(1)
    assert "names someone held now" in notes and "a place inside" in notes and "a date" in notes
    assert held.pk not in item.subjects.values_list("pk", flat=True)

    response = client.post(workflow(item.pk), {"move": "approve"}, follow=True)
    assert "No complete safety review of this version" in response.content.decode()
    response = client.post(
        workflow(item.pk),
        {"move": "review", "revision_number": "1", **{**COMPLETE_REVIEW, "faces_blurred": ""}},
        follow=True,
    )
    assert SafetyReview.objects.get().complete is False
    client.post(workflow(item.pk), {"move": "approve"})
    assert Article.objects.get().status == Article.Status.IN_REVIEW
    client.post(workflow(item.pk), {"move": "review", "revision_number": "1", **COMPLETE_REVIEW})
    client.post(workflow(item.pk), {"move": "approve"})
    assert Article.objects.get().status == Article.Status.APPROVED

    response = client.post(workflow(item.pk), {"move": "schedule", "at": "not a time"}, follow=True)
    assert "Enter the date and time to publish." in response.content.decode()
    at = timezone.localtime() + datetime.timedelta(days=1)
    client.post(workflow(item.pk), {"move": "schedule", "at": at.strftime("%Y-%m-%dT%H:%M")})
    scheduled = Article.objects.get()
    assert scheduled.status == Article.Status.SCHEDULED
    assert timezone.localtime(scheduled.publish_at).strftime("%Y-%m-%d %H:%M") == at.strftime(
        "%Y-%m-%d %H:%M"
    )


def test_an_author_cannot_change_an_approved_article_but_an_editor_can(verified_client):
    item = article()
    editor, author = staff("olga", "editor"), staff("ales", "author")
    services.submit(item, by=author)
    review(item, editor)
    services.approve(item, by=editor)
    change = f"/admin/magazine/article/{item.pk}/change/"
    as_author = verified_client(author)
    response = as_author.post(change, form_data(title_en="Changed by the author"))
    assert response.status_code == 403
    assert Article.objects.get().title_en == "Forty envelopes"
    as_author.logout()
    as_editor = verified_client(editor)
    response = as_editor.post(change, form_data(title_en="Changed after approval"))
    assert response.status_code == 302
    changed = Article.objects.get()
    assert changed.title_en == "Changed after approval" and changed.status == Article.Status.IN_REVIEW


def test_a_revision_shows_what_changed_and_an_editor_restores_it(verified_client):
    item = article()
    client = verified_client(staff("olga", "editor"))
    client.post(f"/admin/magazine/article/{item.pk}/change/", form_data(title_en="Forty-one envelopes"))
    assert item.revisions.count() == 2
    page = client.get(f"/admin/magazine/article/{item.pk}/revisions/2/").content.decode()
    assert "<del>Forty</del> <ins>Forty-one</ins> envelopes" in page
    client.post(f"/admin/magazine/article/{item.pk}/revisions/1/")
    item.refresh_from_db()
    assert item.title_en == "Forty envelopes" and item.revisions.count() == 3


def test_a_draft_can_be_previewed_by_staff_and_is_never_stored_by_caches(verified_client, client):
    item = article()
    staff_client = verified_client(staff("ales", "author"))
    response = staff_client.get(f"/admin/magazine/article/{item.pk}/preview/en/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "On Thursdays ten people write letters." in response.content.decode()
    assert staff_client.get(f"/admin/magazine/article/{item.pk}/preview/be/").status_code == 404
    staff_client.logout()
    assert client.get(f"/admin/magazine/article/{item.pk}/preview/en/").status_code == 302  # to the login


def image_form(**fields) -> dict:
    return {
        "images-TOTAL_FORMS": "1",
        "images-0-alt_en": "An empty courtroom",
        "images-0-caption_en": "",
        "images-0-credit": "",
        "images-0-blur": "",
        **fields,
    }


@pytest.mark.parametrize(
    ("upload", "blur", "message"),
    [
        (
            lambda: SimpleUploadedFile("a.tiff", tiff()),
            "",
            "Only JPEG, PNG, WebP and GIF images can be uploaded.",
        ),
        (photo_with_metadata, "50 50 0.01 0.01", None),  # a tiny area is at least a pixel
        (photo_with_metadata, "10 10", "four numbers, left top width height"),
    ],
)
def test_an_odd_upload_gets_a_message_or_is_taken_never_a_server_error(
    verified_client, tmp_path, settings, upload, blur, message
):
    settings.MEDIA_ROOT = tmp_path
    client = verified_client(staff("ales", "author"))
    response = client.post(
        ADD, form_data(**image_form(**{"images-0-upload": upload(), "images-0-blur": blur}))
    )
    if message is None:
        assert response.status_code == 302 and Image.objects.count() == 1
    else:
        assert response.status_code == 200 and message in response.content.decode()
        assert not Article.objects.exists()


def tiff() -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", (40, 40), "red").save(out, format="TIFF")
    return out.getvalue()


def test_blurring_a_stored_picture_asks_for_the_picture_again(verified_client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = verified_client(staff("ales", "author"))
    client.post(ADD, form_data(**image_form(**{"images-0-upload": photo_with_metadata()})))
    item, image = Article.objects.get(), Image.objects.get()
    response = client.post(
        f"/admin/magazine/article/{item.pk}/change/",
        form_data(
            **image_form(
                **{
                    "images-INITIAL_FORMS": "1",
                    "images-0-id": str(image.pk),
                    "images-0-article": str(item.pk),
                    "images-0-blur": "1 1 5 5",
                }
            )
        ),
    )
    assert response.status_code == 200
    assert "Upload the picture again to blur it." in response.content.decode()


def test_a_changed_picture_makes_a_revision_and_sends_an_approved_article_back_to_review(
    verified_client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    editor = staff("olga", "editor")
    client = verified_client(editor)
    client.post(ADD, form_data())
    item = Article.objects.get()
    services.submit(item, by=editor)
    review(item, editor)
    services.approve(item, by=editor)
    response = client.post(
        f"/admin/magazine/article/{item.pk}/change/",
        form_data(**image_form(**{"images-0-upload": photo_with_metadata()})),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Article.Status.IN_REVIEW and item.revisions.count() == 2
    assert item.revisions.first().content["images"][0]["alt_en"] == "An empty courtroom"


def test_a_deleted_picture_leaves_no_file_behind(tmp_path, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    stored = images.store(photo_with_metadata())
    image = Image.objects.create(article=article(), name=stored.name, widths=stored.widths, alt_en="x")
    assert len(list(images.folder().iterdir())) == 3
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert list(images.folder().iterdir()) == []


def test_the_magazines_uploads_stay_in_memory_however_large(rf, settings):
    from django.core.files.uploadedfile import InMemoryUploadedFile
    from django.test.client import encode_multipart

    big = photo_with_metadata(size=(3000, 3000))
    big_bytes = big.read() + b"\0" * (3 * 1024 * 1024)  # past Django's 2.5 MB for memory
    body = encode_multipart("BOUNDARY", {"images-0-upload": SimpleUploadedFile("big.jpg", big_bytes)})
    for path, kept_in_memory in (
        ("/admin/magazine/article/add/", True),
        ("/admin/imports/importbatch/add/", False),
    ):
        request = rf.post(path, body, content_type="multipart/form-data; boundary=BOUNDARY")
        upload = request.FILES["images-0-upload"]
        assert isinstance(upload, InMemoryUploadedFile) is kept_in_memory, path
    too_big = encode_multipart(
        "BOUNDARY", {"images-0-upload": SimpleUploadedFile("huge.jpg", b"x" * (images.MAX_BYTES + 10))}
    )
    request = rf.post(
        "/admin/magazine/article/add/", too_big, content_type="multipart/form-data; boundary=BOUNDARY"
    )
    assert "images-0-upload" not in request.FILES  # dropped unread; the form asks for the picture
