import datetime
import io
import json
from importlib import resources

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image as Pillow
from PIL import ImageDraw

from solidarity.registry.models import IN_CUSTODY, Person, Status

from ... import images, services
from ...models import Article, Author, Image, Tag

DEMO = resources.files("solidarity.magazine").joinpath("data/demo_articles.json")


def _envelopes() -> SimpleUploadedFile:
    """A drawn picture (envelopes on a table) for the first story, so the demo shows a figure."""
    picture = Pillow.new("RGB", (1800, 1000), (226, 214, 196))
    draw = ImageDraw.Draw(picture)
    for number in range(9):
        left, top = 120 + number * 170, 180 + (number % 3) * 190
        draw.rectangle(
            (left, top, left + 420, top + 260), fill=(250, 248, 242), outline=(120, 110, 100), width=4
        )
        draw.line((left, top, left + 210, top + 130, left + 420, top), fill=(120, 110, 100), width=4)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90)
    return SimpleUploadedFile("envelopes.jpg", out.getvalue(), content_type="image/jpeg")


class Command(BaseCommand):
    help = "Invented magazine articles in three languages, about people of the demo registry."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if there are articles.")

    @transaction.atomic
    def handle(self, *args, if_empty, **options):
        if if_empty and Article.objects.exists():
            self.stdout.write("Articles exist; the demo magazine is not loaded.")
            return
        demo = json.loads(DEMO.read_text(encoding="utf-8"))
        authors = {a["key"]: Author.objects.create(name=a["name"]) for a in demo["authors"]}
        tags = {}
        for tag in demo["tags"]:
            tags[tag["slug"]] = Tag.objects.create(
                slug=tag["slug"], **{f"name_{code}": name for code, name in tag["name"].items()}
            )
        people = {
            "in_custody": list(Person.objects.published().filter(status__in=IN_CUSTODY).order_by("pk")[:20]),
            "released": list(Person.objects.published().filter(status=Status.RELEASED).order_by("pk")[:20]),
        }
        now = timezone.now()
        for number, item in enumerate(demo["articles"]):
            fields = {
                f"{name}_{code}": text
                for name in ("title", "lead", "body")
                for code, text in item[name].items()
            }
            published = now - datetime.timedelta(days=item["days_ago"], hours=3)
            # Demo rows go straight to "published": the workflow's review needs a staff member,
            # and these stories are invented.
            article = Article.objects.create(
                slug=item["slug"],
                kind=item["kind"],
                status=Article.Status.PUBLISHED,
                published_at=published,
                updated_at=published,
                **fields,
            )
            article.authors.set([authors[key] for key in item["authors"]])
            article.tags.set([tags[slug] for slug in item["tags"]])
            candidates = people.get(item["subject"] or "", [])
            if candidates:
                article.subjects.set([candidates[number % len(candidates)]])
            if number == 0:
                stored = images.store(_envelopes())
                image = Image.objects.create(
                    article=article,
                    alt_en="Envelopes on a table",
                    alt_ru="Конверты на столе",
                    alt_be="Канверты на стале",
                    name=stored.name,
                    widths=stored.widths,
                    width=stored.width,
                    height=stored.height,
                )
                for code in ("be", "ru", "en"):
                    body = f"body_{code}"
                    paragraphs = getattr(article, body).split("\n\n")
                    paragraphs.insert(1, f"![]({image})")
                    setattr(article, body, "\n\n".join(paragraphs))
                article.save()
            services.save_revision(article, by=None, note="demo")
        self.stdout.write(f"Demo magazine: {len(demo['articles'])} articles.")
