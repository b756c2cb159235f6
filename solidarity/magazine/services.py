"""The magazine's operations: every move of an article along its workflow is one of these, in
its own transaction, on the article's locked row, with one named audit entry.

    draft → in review → approved → scheduled → published → retracted
      ↑________|___________|__________|                         |
      └──────────────── back to draft ──────────────────────────┘

Only a safety review recorded for the article's latest revision, with every check ticked, lets it
be approved; a change to its content after approval sends it back to review. Authors write and
submit; editors (the `review_article` permission) review, approve, schedule, publish, retract
and restore old revisions."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarity.audit import actions
from solidarity.audit.services import log_action
from solidarity.catalogue.search import words
from solidarity.core.versions import CacheVersion

from .models import Article, Revision, SafetyReview

# What public pages show of the magazine: its articles, their images, tags and authors.
PUBLIC_VERSION = CacheVersion("magazine:public")
REVIEW_PERMISSION = "magazine.review_article"
TRANSLATED = ("title", "lead", "body")
REVIEWED_STATES = (Article.Status.APPROVED, Article.Status.SCHEDULED, Article.Status.PUBLISHED)
# What only the workflow's operations change (and `save_revision` derives), never a form.
WORKFLOW_FIELDS = (
    *("status", "publish_at", "published_at", "updated_at", "retraction_reason"),
    *(f"search_words_{code}" for code, _name in settings.LANGUAGES),
)

SUBMITTED = actions.named("magazine.article.submitted", gettext_lazy("sent for review"))
REVIEWED = actions.named("magazine.article.reviewed", gettext_lazy("safety review recorded"))
APPROVED = actions.named("magazine.article.approved", gettext_lazy("approved"))
SCHEDULED = actions.named("magazine.article.scheduled", gettext_lazy("scheduled"))
PUBLISHED = actions.named("magazine.article.published", gettext_lazy("published"))
RETRACTED = actions.named("magazine.article.retracted", gettext_lazy("retracted"))
RETURNED = actions.named("magazine.article.returned", gettext_lazy("sent back"))
RESTORED = actions.named("magazine.article.restored", gettext_lazy("older revision restored"))


class NotAllowed(Exception):
    """The move is refused; the message says why, in the editor's language."""


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# --- Revisions ---------------------------------------------------------------------------------


def content_of(article: Article) -> dict:
    """What a revision keeps: every language's text, the kind, tags and subjects (by id)."""
    content = {
        f"{name}_{code}": getattr(article, f"{name}_{code}") or ""
        for name in TRANSLATED
        for code in languages()
    }
    content["kind"] = article.kind
    content["tags"] = sorted(article.tags.values_list("pk", flat=True))
    content["subjects"] = sorted(article.subjects.values_list("pk", flat=True))
    content["authors"] = sorted(article.authors.values_list("pk", flat=True))
    # The pictures as readers see them: a new one, or a changed description, is a change too.
    content["images"] = [
        {"name": image.name, "blurred": image.blurred, "credit": image.credit}
        | {
            f"{field}_{code}": getattr(image, f"{field}_{code}") or ""
            for field in ("alt", "caption")
            for code in languages()
        }
        for image in article.images.order_by("pk")
    ]
    return content


def latest_revision(article: Article) -> Revision | None:
    return article.revisions.order_by("-number").first()


@transaction.atomic
def save_revision(article: Article, *, by, note: str = "") -> Revision:
    """Keeps the article as it now is, when it differs from its latest revision, and refreshes
    what is derived from its text. A change after approval sends the article back to review:
    what was reviewed is no longer what would be published."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    content = content_of(article)
    latest = latest_revision(article)
    if latest is not None and latest.content == content:
        return latest
    revision = Revision.objects.create(
        article=article,
        number=(latest.number + 1) if latest else 1,
        saved_by=by if getattr(by, "pk", None) else None,
        content=content,
        note=note[:200],
    )
    changes = {}
    for code in languages():
        changes[f"search_words_{code}"] = (
            " " + " ".join(words(" ".join(content[f"{name}_{code}"] for name in TRANSLATED))) + " "
        )
    if article.status in REVIEWED_STATES and latest is not None:
        # Off every page until an editor reviews the change: a correction may carry a detail
        # that endangers someone as surely as the first text could.
        changes.update(status=Article.Status.IN_REVIEW, publish_at=None)
        if article.published_at is not None:
            changes["updated_at"] = timezone.now()
        _audit(article, RETURNED, by, reason=_("changed after approval"))
    Article.objects.filter(pk=article.pk).update(**changes)
    PUBLIC_VERSION.bump()
    return revision


@transaction.atomic
def restore(article: Article, revision: Revision, *, by) -> Revision:
    """The article's content as `revision` kept it, saved as a new revision."""
    _require_editor(by)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if revision.article_id != article.pk:
        raise NotAllowed(_("That revision belongs to another article."))
    content = revision.content
    for key, value in content.items():
        if key.split("_")[0] in TRANSLATED:
            setattr(article, key, value)
    article.kind = content["kind"]
    article.save()
    article.tags.set(content["tags"])
    article.subjects.set(
        [pk for pk in content["subjects"] if article.subjects.model.objects.filter(pk=pk).exists()]
    )
    article.authors.set(content.get("authors", []))
    _audit(article, RESTORED, by, revision=revision.number)
    return save_revision(
        article, by=by, note=_("restored from revision %(number)s") % {"number": revision.number}
    )


# --- The workflow ------------------------------------------------------------------------------


def _require_editor(by) -> None:
    if not (by and by.has_perm(REVIEW_PERMISSION)):
        raise NotAllowed(_("Only an editor may do this."))


def _locked(article: Article, *allowed: str) -> Article:
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status not in allowed:
        raise NotAllowed(
            _("Not possible while the article is %(status)s.") % {"status": article.get_status_display()}
        )
    return article


def _audit(article: Article, action: str, by, **data) -> None:
    log_action(
        action=action,
        obj=article,
        actor=by,
        actor_label=by.get_username() if getattr(by, "pk", None) else _("the schedule"),
        data={key: str(value) for key, value in data.items()},
    )


def _move(article: Article, action: str, by, details: dict | None = None, **changes) -> Article:
    for name, value in changes.items():
        setattr(article, name, value)
    article.save(update_fields=list(changes))
    moved = {k: v for k, v in changes.items() if k in ("publish_at", "retraction_reason") and v}
    _audit(article, action, by, status=article.status, **moved, **(details or {}))
    PUBLIC_VERSION.bump()
    return article


def missing_for_review(article: Article) -> list[str]:
    """What an article lacks before anyone can review it, in words."""
    missing = []
    if not article.languages():
        missing.append(_("a title and a text in at least one language"))
    if article.images.filter(**{f"alt_{code}": "" for code in languages()}).exists():
        missing.append(_("a description of every image"))
    return missing


@transaction.atomic
def submit(article: Article, *, by) -> Article:
    if not (by and by.has_perm("magazine.change_article")):
        raise NotAllowed(_("Only an author or an editor may do this."))
    article = _locked(article, Article.Status.DRAFT)
    missing = missing_for_review(article)
    if missing:
        raise NotAllowed(_("Before review it needs %(missing)s.") % {"missing": "; ".join(missing)})
    return _move(article, SUBMITTED, by, status=Article.Status.IN_REVIEW)


@transaction.atomic
def record_review(article: Article, *, by, revision_number: int, **answers) -> SafetyReview:
    """The editor's safety review of the article as revision `revision_number` has it, which must
    be its latest: a text saved while the editor read is not what they reviewed."""
    _require_editor(by)
    article = _locked(article, Article.Status.IN_REVIEW)
    revision = latest_revision(article)
    if revision is None:
        raise NotAllowed(_("The article has no saved text to review."))
    if revision.number != revision_number:
        raise NotAllowed(_("The article changed while you read it: read the new version and review it."))
    review = SafetyReview.objects.create(article=article, revision=revision, reviewed_by=by, **answers)
    _audit(
        article,
        REVIEWED,
        by,
        revision=revision.number,
        consent_from=review.consent_from,
        consent_scope=review.consent_scope,
        complete=review.complete,
    )
    return review


def review_of_latest(article: Article) -> SafetyReview | None:
    """The complete safety review of the article's latest revision, if one was recorded."""
    revision = latest_revision(article)
    if revision is None:
        return None
    for review in article.reviews.filter(revision=revision):
        if review.complete:
            return review
    return None


@transaction.atomic
def approve(article: Article, *, by) -> Article:
    _require_editor(by)
    article = _locked(article, Article.Status.IN_REVIEW)
    if review_of_latest(article) is None:
        raise NotAllowed(
            _("No complete safety review of this version of the article is recorded: record one first.")
        )
    return _move(article, APPROVED, by, status=Article.Status.APPROVED)


@transaction.atomic
def schedule(
    article: Article, *, at: datetime.datetime, by, publish_later: Callable[[datetime.datetime], None]
) -> Article:
    """Publishes at `at` through the background worker (`publish_later(at)` queues it)."""
    _require_editor(by)
    article = _locked(article, Article.Status.APPROVED, Article.Status.SCHEDULED)
    if at <= timezone.now():
        raise NotAllowed(_("The time to publish must be in the future; to publish now, publish."))
    article = _move(article, SCHEDULED, by, status=Article.Status.SCHEDULED, publish_at=at)
    publish_later(at)
    return article


def _publish(article: Article, by) -> Article:
    if review_of_latest(article) is None:
        raise NotAllowed(
            _("No complete safety review of this version of the article is recorded: record one first.")
        )
    now = timezone.now()
    return _move(
        article,
        PUBLISHED,
        by,
        status=Article.Status.PUBLISHED,
        published_at=article.published_at or now,
        updated_at=now,
        publish_at=None,
    )


@transaction.atomic
def publish(article: Article, *, by) -> Article:
    _require_editor(by)
    article = _locked(article, Article.Status.APPROVED, Article.Status.SCHEDULED)
    return _publish(article, by)


@transaction.atomic
def publish_due(now: datetime.datetime | None = None) -> list[Article]:
    """Publishes every scheduled article whose time has come (the background worker's task)."""
    now = now or timezone.now()
    due = Article.objects.select_for_update().filter(status=Article.Status.SCHEDULED, publish_at__lte=now)
    published = []
    for article in due.order_by("publish_at", "pk"):
        try:
            published.append(_publish(article, None))
        except NotAllowed:  # changed after it was scheduled: `save_revision` sent it to review
            continue
    return published


@transaction.atomic
def retract(article: Article, *, by, reason: str) -> Article:
    """Takes the article off every page, feed and issue; it stays in the back office."""
    _require_editor(by)
    if not reason.strip():
        raise NotAllowed(_("Say why it is retracted."))
    article = _locked(article, Article.Status.PUBLISHED, Article.Status.SCHEDULED, Article.Status.APPROVED)
    # Published again one day, it is a new publication: it does not return to the monthly issue
    # already passed around for the month it first came out in.
    return _move(
        article,
        RETRACTED,
        by,
        status=Article.Status.RETRACTED,
        retraction_reason=reason.strip(),
        publish_at=None,
        published_at=None,
    )


@transaction.atomic
def send_back(article: Article, *, by, reason: str = "") -> Article:
    """Back to draft, for more work: from review, approval, the schedule or retraction."""
    _require_editor(by)
    article = _locked(
        article,
        Article.Status.IN_REVIEW,
        Article.Status.APPROVED,
        Article.Status.SCHEDULED,
        Article.Status.RETRACTED,
    )
    details = {"reason": reason.strip()} if reason.strip() else None
    return _move(article, RETURNED, by, details, status=Article.Status.DRAFT, publish_at=None)
