"""The magazine read by others' software: Atom feeds that feedparser reads without complaint, with
absolute ids, authors and updated times; the monthly issue as an EPUB that ebooklib opens and a
PDF whose text reads back. A retracted article is in none of them."""

import datetime
import html
import io
import zipfile

import feedparser
import pytest
from django.utils import timezone
from pypdf import PdfReader

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.magazine import images, services
from solidarity.magazine.models import Article, Image

from .helpers import article, photo_with_metadata, published_article, staff

pytestmark = pytest.mark.django_db


def feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_the_feed_of_a_language_carries_what_is_written_in_it(client):
    published_article("both", title_en="Forty envelopes", tags=["letters"])
    published_article("ru-only", title_en="", lead_en="", body_en="", title_ru="Только по-русски")
    english = feed(client, "/en/magazine/feed/")
    assert [entry.title for entry in english.entries] == ["Forty envelopes"]
    entry = english.entries[0]
    assert entry.id == f"tag:testserver,2026:magazine/{entry.id.split('/')[1]}/en"
    assert entry.link == "http://testserver/en/magazine/both/"
    assert entry.author == "Анна Л."
    assert entry.updated_parsed and entry.published_parsed
    assert [tag.term for tag in entry.tags] == ["Letters"]
    assert english.feed.id.startswith("tag:testserver,") and english.feed.language == "en"
    russian = feed(client, "/ru/magazine/feed/")
    assert {entry.title for entry in russian.entries} == {"Сорок конвертов", "Только по-русски"}


def test_a_persons_feed_carries_every_story_about_them(client):
    person = prisoner()
    published_article("about", subjects=[person], title_en="", lead_en="", body_en="")
    published_article("other")
    parsed = feed(client, f"/en/magazine/about/{person.pk}/feed/")
    assert [entry.title for entry in parsed.entries] == ["Сорок конвертов"]  # in the language it has
    assert client.get("/en/magazine/about/999999/feed/").status_code == 404


def test_a_retracted_article_leaves_the_feeds_and_the_issue(client):
    person = prisoner()
    item = published_article("gone", subjects=[person])
    month = timezone.localdate()
    assert len(feed(client, "/en/magazine/feed/").entries) == 1
    assert client.get(f"/en/magazine/issues/{month:%Y-%m}.epub").status_code == 200
    services.retract(item, by=staff("olga", "editor"), reason="Consent withdrawn")
    assert feed(client, "/en/magazine/feed/").entries == []
    assert feed(client, f"/en/magazine/about/{person.pk}/feed/").entries == []
    assert client.get(f"/en/magazine/issues/{month:%Y-%m}.epub").status_code == 404
    assert client.get(f"/en/magazine/issues/{month:%Y-%m}.pdf").status_code == 404


@pytest.fixture
def month_with_articles(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    first = timezone.localdate().replace(day=1)
    at = timezone.make_aware(datetime.datetime.combine(first, datetime.time(12)))
    older = article("first", title_en="Forty envelopes")
    newer = published_article(
        "second", published_at=at + datetime.timedelta(hours=1), title_en="", lead_en="", body_en=""
    )
    stored = images.store(photo_with_metadata())
    image = Image.objects.create(
        article=older,
        alt_en="Envelopes",
        name=stored.name,
        widths=stored.widths,
        width=stored.width,
        height=stored.height,
    )
    older.body_en += f"\n\n![]({image})\n\n> A quotation.\n\n- one\n- two"
    older.save()
    services.save_revision(older, by=None)
    Article.objects.filter(pk=older.pk).update(
        status=Article.Status.PUBLISHED, published_at=at, updated_at=at
    )
    older.refresh_from_db()
    published_article("last-month", published_at=at - datetime.timedelta(days=2), title_en="Last month's")
    return first, older, newer, stored


def test_the_monthly_issue_is_an_epub_that_ebooklib_opens(client, month_with_articles, tmp_path):
    import ebooklib
    from ebooklib import epub

    first, older, newer, stored = month_with_articles
    response = client.get(f"/en/magazine/issues/{first:%Y-%m}.epub")
    assert response.status_code == 200 and response["Content-Type"] == "application/epub+zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.infolist()[0].filename == "mimetype"
        assert archive.infolist()[0].compress_type == zipfile.ZIP_STORED
        # Not in English: in the language it is written in, and marked so for the reader's voice.
        assert 'xml:lang="ru"' in archive.read(f"EPUB/article-{newer.pk}.xhtml").decode()
    path = tmp_path / "issue.epub"
    path.write_bytes(response.content)
    book = epub.read_epub(str(path))
    assert book.get_metadata("DC", "language") == [("en", {})]
    documents = {
        item.get_name(): item.get_content().decode()
        for item in book.get_items_of_type(ebooklib.ITEM_DOCUMENT)
    }
    assert list(documents) == ["nav.xhtml", f"article-{older.pk}.xhtml", f"article-{newer.pk}.xhtml"]
    assert "Forty envelopes" in documents[f"article-{older.pk}.xhtml"]
    assert "Сорок конвертов" in documents[f"article-{newer.pk}.xhtml"]
    assert "Last month" not in "".join(documents.values())
    pictures = [item.get_name() for item in book.get_items_of_type(ebooklib.ITEM_IMAGE)]
    assert pictures == [f"images/{stored.name}.jpg"]
    assert f'src="images/{stored.name}.jpg"' in documents[f"article-{older.pk}.xhtml"]


def test_the_monthly_issue_is_a_pdf_whose_text_reads_back(client, month_with_articles):
    first, _older, _newer, _stored = month_with_articles
    response = client.get(f"/en/magazine/issues/{first:%Y-%m}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Forty envelopes" in text and "Сорок конвертов" in text and "On Thursdays ten people" in text
    assert "• one" in text and "A quotation." in text
    assert "Last month" not in text
    assert [item.title for item in reader.outline] == ["Forty envelopes", "Сорок конвертов"]
    assert sum(len(page.images) for page in reader.pages) == 1


def test_the_issues_page_lists_each_month_and_a_month_without_articles_is_not_found(
    client, month_with_articles
):
    first = month_with_articles[0]
    html = client.get("/en/magazine/issues/").content.decode()
    assert f"/en/magazine/issues/{first:%Y-%m}.epub" in html
    assert client.get("/en/magazine/issues/2001-01.epub").status_code == 404
    assert client.get("/en/magazine/issues/2026-13.pdf").status_code == 404
    assert client.get("/en/magazine/issues/2999-01.pdf").status_code == 404


def test_the_issue_is_made_from_any_markdown_and_leaves_out_a_picture_lost_from_disk(
    client, month_with_articles
):
    first, older, _newer, stored = month_with_articles
    older.body_en += (
        "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\n    indented code\n\n"
        "1. one\n   - inner\n2. two\n\n---\n\n### Deep heading\n\n![lost](image:424242) 😀 <b>raw</b>"
    )
    older.save()
    for path in (images.folder()).glob(f"{stored.name}-*.jpg"):
        path.unlink()
    pdf = client.get(f"/en/magazine/issues/{first:%Y-%m}.pdf")
    epub = client.get(f"/en/magazine/issues/{first:%Y-%m}.epub")
    assert pdf.status_code == 200 and epub.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "code" in text and "indented code" in text and "Deep heading" in text and "1. one" in text
    with zipfile.ZipFile(io.BytesIO(epub.content)) as archive:
        assert not [name for name in archive.namelist() if name.startswith("EPUB/images/")]


def test_a_lead_is_text_in_the_feed_never_markup_a_reader_would_run(client):
    published_article("marked", lead_en='Read <img src="https://tracker.example/p.gif"> this')
    response = client.get("/en/magazine/feed/", HTTP_HOST="localhost:8000")
    entry = feedparser.parse(response.content).entries[0]
    assert "<img" not in entry.summary  # the reader shows it as the words typed
    assert html.unescape(entry.summary) == 'Read <img src="https://tracker.example/p.gif"> this'
    assert "<img" not in response.content.decode().split("<summary", 1)[1].split("</summary>")[0]
    assert entry.id.startswith("tag:localhost,2026:")  # a tag URI's authority has no port
