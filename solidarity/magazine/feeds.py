"""Atom feeds (RFC 4287) of the magazine, one per interface language and one per person: absolute
tag URIs as ids, each entry's authors, its published and updated times, its tags as categories."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from solidarity.registry.models import Person

from . import reading
from .models import Article

ITEMS = 50


class MagazineFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, **kwargs):
        # A tag URI's authority is a name without a port (RFC 4151).
        return {"host": request.get_host().rsplit(":", 1)[0], "language": translation.get_language()}

    def title(self, obj) -> str:
        return _("%(site)s: the magazine") % {"site": settings.SITE_NAME}

    def subtitle(self, obj) -> str:
        return _("Stories of political prisoners and of the released.")

    def link(self, obj) -> str:
        return reverse("magazine")

    def feed_guid(self, obj) -> str:
        return f"tag:{obj['host']},2026:magazine/{obj['language']}"

    def author_name(self, obj) -> str:
        return str(settings.SITE_NAME)

    def articles(self, obj):
        return reading.listed(reading.published())

    def items(self, obj) -> list:
        shown = []
        for article in self.articles(obj)[: ITEMS * 2].prefetch_related("tags"):
            language = obj["language"] if obj["language"] in article.languages() else None
            if language is None and obj.get("any_language"):
                language = reading.shown_language(article, obj["language"])
            if language is None:
                continue  # a language's feed carries what is written in it
            article.feed_language = language
            article.feed_id = f"tag:{obj['host']},2026:magazine/{article.pk}/{language}"
            shown.append(article)
        return shown[:ITEMS]

    def item_title(self, article: Article) -> str:
        return getattr(article, f"title_{article.feed_language}")

    def item_description(self, article: Article) -> str:
        # Atom's summary is HTML to a reader: the lead is plain text, so it is escaped.
        return escape(getattr(article, f"lead_{article.feed_language}"))

    def item_link(self, article: Article) -> str:
        with translation.override(article.feed_language):
            return reverse("magazine_article", args=[article.slug])

    def item_guid(self, article: Article) -> str:
        return article.feed_id

    item_guid_is_permalink = False

    def item_author_name(self, article: Article) -> str:
        return ", ".join(author.name for author in article.authors.all()) or str(settings.SITE_NAME)

    def item_pubdate(self, article: Article) -> datetime.datetime:
        return article.published_at

    def item_updateddate(self, article: Article) -> datetime.datetime:
        return max(article.updated_at, article.published_at)

    def item_categories(self, article: Article) -> list[str]:
        return [tag.name for tag in article.tags.all()]


class PersonStoriesFeed(MagazineFeed):
    """The stories about one person, each in the feed's language or the one it is written in."""

    def get_object(self, request, pk: int, **kwargs):
        person = get_object_or_404(Person.objects.published(), pk=pk)
        return {**super().get_object(request), "person": person, "any_language": True}

    def title(self, obj) -> str:
        return _("Stories about %(name)s") % {"name": obj["person"].full_name}

    def link(self, obj) -> str:
        return reverse("magazine_person", args=[obj["person"].pk])

    def feed_guid(self, obj) -> str:
        return f"tag:{obj['host']},2026:magazine/about/{obj['person'].pk}/{obj['language']}"

    def articles(self, obj):
        return reading.about(obj["person"])
