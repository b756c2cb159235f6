"""What readers see: published articles only, each in the reader's language when it is written in
it, else honestly in the language it is written in."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import translation

from solidarity.catalogue.search import words

from .models import Article, Author, Image
from .text import to_html


def published() -> QuerySet[Article]:
    return Article.objects.filter(status=Article.Status.PUBLISHED)


def listed(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Ordered newest first, with what a card shows in one more query."""
    return articles.prefetch_related(Prefetch("authors", queryset=Author.objects.order_by("name"))).order_by(
        "-published_at", "-pk"
    )


def shown_language(article: Article, wanted: str | None = None) -> str | None:
    """The language to show the article in: the reader's if it is written in it, else the first
    of the site's languages it is written in."""
    wanted = wanted or translation.get_language()
    written = article.languages()
    if wanted in written:
        return wanted
    return written[0] if written else None


@dataclass
class Card:
    article: Article
    language: str
    title: str
    lead: str
    url: str
    authors: str

    @property
    def translated(self) -> bool:
        return self.language == translation.get_language()

    @property
    def language_name(self) -> str:
        return dict(settings.LANGUAGES)[self.language]


def card(article: Article) -> Card | None:
    language = shown_language(article)
    if language is None:
        return None
    return Card(
        article=article,
        language=language,
        title=getattr(article, f"title_{language}"),
        lead=getattr(article, f"lead_{language}"),
        url=reverse("magazine_article", args=[article.slug]),
        authors=", ".join(author.name for author in article.authors.all()),
    )


def cards(articles) -> list[Card]:
    return [found for found in (card(article) for article in articles) if found is not None]


def about(person) -> QuerySet[Article]:
    return listed(published().filter(subjects=person))


def search(query: str) -> QuerySet[Article]:
    """Articles with every word of the query in some language, each word folded as the registry's
    search folds names, matching a word's beginning ("письм" finds "письма")."""
    found = published()
    wanted = words(query)
    if not wanted:
        return found.none()
    for word in wanted[:8]:
        found = found.filter(
            Q(
                *[Q(**{f"search_words_{code}__contains": f" {word}"}) for code, _name in settings.LANGUAGES],
                _connector=Q.OR,
            )
        )
    return listed(found)


def related(article: Article, subjects: list[int], limit: int = 3) -> list[Article]:
    """Published articles sharing a subject or a tag with this one, the most shared first (its
    tags as prefetched, its subjects' ids as the caller has them)."""
    tags = [tag.pk for tag in article.tags.all()]
    if not tags and not subjects:
        return []
    shared = (
        published()
        .exclude(pk=article.pk)
        .filter(Q(tags__in=tags) | Q(subjects__in=subjects))
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-published_at")
    )
    order = [found.pk for found in shared[:limit]]
    return sorted(listed(Article.objects.filter(pk__in=order)), key=lambda found: order.index(found.pk))


def page_of(article: Article, language: str) -> dict:
    """What the article's page shows, in `language` (one the article is written in)."""
    images = images_of(article)
    return {
        "article": article,
        "language": language,
        "title": getattr(article, f"title_{language}"),
        "lead": getattr(article, f"lead_{language}"),
        "body": to_html(getattr(article, f"body_{language}"), images),
    }


def images_of(article: Article) -> dict[int, Image]:
    return {image.pk: image for image in article.images.all()}
