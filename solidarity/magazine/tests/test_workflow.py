"""The editorial workflow: each move a named, audited operation by role; nothing is approved
without a complete safety review of the text as it stands; scheduled articles publish on time
through the background worker; every save keeps a revision that an editor may restore."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from solidarity.audit.models import AuditEntry
from solidarity.catalogue.tests.helpers import prisoner
from solidarity.magazine import reading, services, tasks
from solidarity.magazine.models import Article

from .helpers import COMPLETE_REVIEW, article, review, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return staff("olga", "editor")


@pytest.fixture
def author(db):
    return staff("ales", "author")


def actions_of(item: Article) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(item.pk)).order_by("pk").values_list("action", flat=True)
    )


def in_review(by) -> Article:
    draft = article()
    return services.submit(draft, by=by)


def test_an_article_goes_from_draft_to_published_and_each_move_is_audited(editor, author):
    draft = article()
    services.submit(draft, by=author)
    review(draft, editor)
    services.approve(draft, by=editor)
    published = services.publish(draft, by=editor)
    assert published.status == Article.Status.PUBLISHED and published.published_at is not None
    assert list(reading.published()) == [published]
    assert actions_of(draft) == [
        "magazine.article.submitted",
        "magazine.article.reviewed",
        "magazine.article.approved",
        "magazine.article.published",
    ]
    entry = AuditEntry.objects.get(action="magazine.article.reviewed")
    assert entry.actor == editor
    assert entry.data == {
        "revision": "1",
        "consent_from": "subject",
        "consent_scope": "this",
        "complete": "True",
    }


def test_the_workflow_refuses_to_approve_or_publish_without_a_safety_review(editor, author):
    item = in_review(author)
    with pytest.raises(services.NotAllowed, match="No complete safety review"):
        services.approve(item, by=editor)
    with pytest.raises(services.NotAllowed, match="while the article is in review"):
        services.publish(item, by=editor)
    assert Article.objects.get().status == Article.Status.IN_REVIEW
    assert not reading.published().exists()


@pytest.mark.parametrize("unticked", ["others_protected", "places_and_dates_safe", "faces_blurred"])
def test_a_review_with_any_check_unticked_does_not_let_it_be_approved(editor, author, unticked):
    item = in_review(author)
    review(item, editor, **{unticked: False})
    with pytest.raises(services.NotAllowed):
        services.approve(item, by=editor)


def test_a_review_of_an_older_revision_does_not_cover_the_text_as_it_now_is(editor, author):
    item = in_review(author)
    review(item, editor)
    item.body_en += "\n\nHis cellmate Ivan passed the letter on, on the night shift."
    item.save()
    services.save_revision(item, by=author)
    with pytest.raises(services.NotAllowed, match="No complete safety review"):
        services.approve(item, by=editor)


def test_a_change_after_approval_sends_the_article_back_to_review(editor, author):
    item = in_review(author)
    review(item, editor)
    services.approve(item, by=editor)
    item.refresh_from_db()
    item.title_en = "Forty-one envelopes"
    item.save()
    services.save_revision(item, by=editor)
    item.refresh_from_db()
    assert item.status == Article.Status.IN_REVIEW
    assert "magazine.article.returned" in actions_of(item)


def test_an_unchanged_save_keeps_no_new_revision(author):
    item = article()
    services.save_revision(item, by=author)
    assert item.revisions.count() == 1


def test_authors_cannot_review_approve_publish_or_retract(author):
    item = in_review(author)
    for move in (
        lambda: review(item, author),
        lambda: services.approve(item, by=author),
        lambda: services.publish(item, by=author),
        lambda: services.retract(item, by=author, reason="no"),
    ):
        with pytest.raises(services.NotAllowed, match="Only an editor"):
            move()


def test_an_article_without_any_complete_language_cannot_go_to_review(author):
    item = article(title_en="", title_ru="", body_en="", body_ru="")
    with pytest.raises(services.NotAllowed, match="a title and a text"):
        services.submit(item, by=author)


def published(editor, author, **fields) -> Article:
    item = article(**fields)
    services.submit(item, by=author)
    review(item, editor)
    services.approve(item, by=editor)
    return services.publish(item, by=editor)


def test_a_retraction_needs_a_reason_and_takes_the_article_off_every_list(editor, author):
    item = published(editor, author)
    with pytest.raises(services.NotAllowed, match="Say why"):
        services.retract(item, by=editor, reason="  ")
    services.retract(item, by=editor, reason="The family withdrew consent.")
    item.refresh_from_db()
    assert (
        item.status == Article.Status.RETRACTED and item.retraction_reason == "The family withdrew consent."
    )
    assert not reading.published().exists()


def test_scheduling_needs_a_time_in_the_future(editor, author):
    item = in_review(author)
    review(item, editor)
    services.approve(item, by=editor)
    with pytest.raises(services.NotAllowed, match="in the future"):
        services.schedule(
            item, at=timezone.now() - datetime.timedelta(minutes=1), by=editor, publish_later=print
        )


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_article_is_published_on_time_by_the_background_worker():
    editor, author = staff("olga", "editor"), staff("ales", "author")
    person = prisoner()
    item = article(subjects=[person])
    services.submit(item, by=author)
    review(item, editor)
    services.approve(item, by=editor)
    at = timezone.now() + datetime.timedelta(hours=2)

    def worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        services.schedule(item, at=at, by=editor, publish_later=tasks.publish_later)
        worker()  # the task waits for its time: nothing is published early
        assert Article.objects.get().status == Article.Status.SCHEDULED
        assert not reading.about(person).exists()
        with time_machine.travel(at + datetime.timedelta(seconds=5), tick=False):
            worker()
            published = Article.objects.get()
            assert published.status == Article.Status.PUBLISHED
            assert published.published_at == at + datetime.timedelta(seconds=5)
    assert list(reading.about(person)) == [published]
    entry = AuditEntry.objects.filter(action="magazine.article.published").get()
    assert entry.actor is None and entry.actor_label == "the schedule"


def test_publish_due_publishes_only_what_is_due(editor, author):
    early, late = article("early"), article("late")
    now = timezone.now()
    for item in (early, late):
        services.submit(item, by=author)
        review(item, editor)
        services.approve(item, by=editor)
    services.schedule(early, at=now + datetime.timedelta(minutes=5), by=editor, publish_later=lambda at: None)
    services.schedule(late, at=now + datetime.timedelta(days=1), by=editor, publish_later=lambda at: None)
    assert services.publish_due(now + datetime.timedelta(minutes=10)) == [Article.objects.get(slug="early")]
    assert set(Article.objects.values_list("slug", "status")) == {
        ("early", "published"),
        ("late", "scheduled"),
    }


def test_an_editor_restores_an_older_revision_as_a_new_one(editor, author):
    item = article()
    item.title_en = "A changed title"
    item.save()
    services.save_revision(item, by=author)
    first = item.revisions.get(number=1)
    services.restore(item, first, by=editor)
    item.refresh_from_db()
    assert item.title_en == "Forty envelopes"
    assert list(item.revisions.values_list("number", flat=True)) == [3, 2, 1]
    assert item.revisions.get(number=3).content == first.content
    assert "magazine.article.restored" in actions_of(item)
    with pytest.raises(services.NotAllowed, match="Only an editor"):
        services.restore(item, first, by=author)


def test_the_search_words_follow_each_save(author):
    item = article()
    Article.objects.filter(pk=item.pk).update(status=Article.Status.PUBLISHED, published_at=timezone.now())
    assert list(reading.search("конверт")) == [item]
    item.refresh_from_db()
    item.title_ru, item.body_ru = "Ответ", "Пришло одно письмо."
    item.save()
    services.save_revision(item, by=author)  # back to review, off the site
    Article.objects.filter(pk=item.pk).update(status=Article.Status.PUBLISHED)
    assert not reading.search("конверт").exists()
    assert list(reading.search("ПИСЬМО")) == [item]


def test_an_edit_of_a_published_article_takes_it_off_the_site_until_it_is_reviewed_again(editor, author):
    item = published(editor, author)
    first_published = item.published_at
    item.refresh_from_db()
    item.body_en += "\n\nHer cellmate Ivan passed the letter on."
    item.save()
    services.save_revision(item, by=editor)
    item.refresh_from_db()
    assert item.status == Article.Status.IN_REVIEW and not reading.published().exists()
    with pytest.raises(services.NotAllowed, match="No complete safety review"):
        services.approve(item, by=editor)
    review(item, editor)
    services.approve(item, by=editor)
    republished = services.publish(item, by=editor)
    assert republished.published_at == first_published and republished.updated_at > first_published


def test_a_review_is_refused_when_the_text_changed_while_the_editor_read_it(editor, author):
    item = in_review(author)
    seen = services.latest_revision(item).number
    item.title_en = "Changed meanwhile"
    item.save()
    services.save_revision(item, by=author)
    with pytest.raises(services.NotAllowed, match="changed while you read it"):
        services.record_review(item, by=editor, revision_number=seen, **COMPLETE_REVIEW)


def test_a_retracted_article_published_again_is_a_new_publication(editor, author):
    item = published(editor, author)
    services.retract(item, by=editor, reason="A detail to remove")
    item.refresh_from_db()
    assert item.published_at is None
