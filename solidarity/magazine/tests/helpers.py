"""Articles for tests, made through the real operations where the workflow is what is tested, and
straight to "published" where only reading is."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as Pillow

from solidarity.magazine import services
from solidarity.magazine.models import Article, Author, Tag
from solidarity.staff.services import create_staff_member
from solidarity.staff.tests.helpers import PASSWORD

TEXT = {
    "title_en": "Forty envelopes",
    "lead_en": "A letter evening in a small town.",
    "body_en": "On Thursdays ten people write letters.\n\n## A reply\n\nSometimes one comes back.",
    "title_ru": "Сорок конвертов",
    "lead_ru": "Вечер писем в маленьком городе.",
    "body_ru": "По четвергам десять человек пишут письма.\n\nИногда приходит ответ.",
}


def article(
    slug: str = "forty-envelopes", *, subjects=(), tags=(), authors=("Анна Л.",), **fields
) -> Article:
    """A draft, with its first revision."""
    made = Article.objects.create(slug=slug, **{**TEXT, **fields})
    made.subjects.set(subjects)
    made.tags.set(
        [Tag.objects.get_or_create(slug=slug, defaults={"name_en": slug.title()})[0] for slug in tags]
    )
    made.authors.set([Author.objects.get_or_create(name=name)[0] for name in authors])
    services.save_revision(made, by=None)
    return made


def published_article(slug: str = "forty-envelopes", *, published_at=None, **kwargs) -> Article:
    made = article(slug, **kwargs)
    when = published_at or timezone.now()
    Article.objects.filter(pk=made.pk).update(
        status=Article.Status.PUBLISHED, published_at=when, updated_at=when
    )
    made.refresh_from_db()
    services.PUBLIC_VERSION.bump()
    return made


def staff(username: str, role: str):
    return create_staff_member(username=username, roles=[role], password=PASSWORD).user


COMPLETE_REVIEW = {
    "consent_from": "subject",
    "consent_scope": "this",
    "consent_note": "Agreed by phone, on the text as it is.",
    "others_protected": True,
    "places_and_dates_safe": True,
    "faces_blurred": True,
}


def photo_with_metadata(size=(2000, 1200)) -> SimpleUploadedFile:
    """A JPEG carrying what a phone writes: GPS position, camera make and model, the time taken,
    and an orientation tag (rotated 90°)."""
    picture = Pillow.new("RGB", size, (200, 80, 40))
    for x in range(0, size[0], 50):
        picture.paste((20, 20, 200), (x, 0, x + 10, size[1]))
    exif = Pillow.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12 Pro"  # Model
    exif[0x0132] = "2026:11:30 21:14:05"  # DateTime
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x8825] = {1: "N", 2: (53.0, 54.0, 0.0), 3: "E", 4: (27.0, 33.0, 0.0)}  # GPS: Minsk
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif, comment=b"taken at the courthouse")
    return SimpleUploadedFile("IMG_0042.jpg", out.getvalue(), content_type="image/jpeg")


def review(item: Article, by, **changes):
    """The editor's review of the article as it now stands (its latest revision)."""
    return services.record_review(
        item, by=by, revision_number=services.latest_revision(item).number, **{**COMPLETE_REVIEW, **changes}
    )
