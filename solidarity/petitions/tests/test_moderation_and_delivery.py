"""Editors invalidate signatures in bulk exactly as previewed, audited, with the count updated;
the delivery's PDF and CSV carry the text, the count by country and the names shown, never an
address."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from solidarity.audit.models import AuditEntry
from solidarity.petitions import delivery, services
from solidarity.petitions.addresses import stored_domain
from solidarity.petitions.models import Petition, Signature

from .helpers import open_petition, pending, signed_and_confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    from solidarity.staff.services import create_staff_member
    from solidarity.staff.tests.helpers import PASSWORD

    return create_staff_member(username="editor", roles=["editor"], password=PASSWORD).user


def test_the_invalidation_takes_exactly_what_the_preview_showed(editor):
    petition = open_petition()
    burst = services.this_hour() - datetime.timedelta(hours=3)
    confirmed = pending(petition, 6, email_domain="bots.example", signed_hour=burst)
    for token in confirmed[:4]:
        services.confirm(petition, token)
    for token in pending(petition, 3):  # other domains: untouched
        services.confirm(petition, token)
    criteria = services.Criteria(domain="BOTS.example ")
    found = services.preview(petition, criteria)
    assert (found.matched, found.confirmed, found.pending) == (6, 4, 2)
    assert found.by_domain == [(stored_domain("bots.example"), 6)] and found.by_hour == [(burst, 6)]
    assert services.bursts(petition)[0] == (burst, 6)

    pending(petition, 1, email_domain="bots.example", signed_hour=burst)  # one more, after the preview
    with pytest.raises(services.NotAllowed, match="changed since the preview"):
        services.invalidate(
            petition, criteria, fingerprint=found.fingerprint, reason="a bought list", by=editor
        )
    assert Petition.objects.get().signature_count == 7  # nothing done

    found = services.preview(petition, criteria)
    invalidation = services.invalidate(
        petition, criteria, fingerprint=found.fingerprint, reason="a bought list", by=editor
    )
    assert (invalidation.invalidated, invalidation.confirmed) == (found.matched, found.confirmed) == (7, 4)
    assert set(invalidation.signatures.values_list("pk", flat=True)) == set(
        Signature.objects.filter(email_domain=stored_domain("bots.example")).values_list("pk", flat=True)
    )
    assert Petition.objects.get().signature_count == 3 == services.recount(petition).confirmed
    assert Signature.objects.filter(status="invalidated").count() == 7  # listed as such, not erased
    entry = AuditEntry.objects.get(action="invalidate signatures")
    assert entry.data["invalidated"] == 7 and entry.data["reason"] == "a bought list"


def test_an_invalidation_needs_criteria_and_a_reason(editor):
    petition = open_petition()
    pending(petition, 2)
    everything = services.Criteria()
    with pytest.raises(services.NotAllowed, match="Say which signatures"):
        services.invalidate(
            petition,
            everything,
            fingerprint=services.preview(petition, everything).fingerprint,
            reason="x",
            by=editor,
        )
    window = services.Criteria(hour_from=services.this_hour() - datetime.timedelta(hours=1))
    with pytest.raises(services.NotAllowed, match="Give the reason"):
        services.invalidate(
            petition,
            window,
            fingerprint=services.preview(petition, window).fingerprint,
            reason=" ",
            by=editor,
        )


def test_the_moderation_page_previews_then_invalidates(verified_client, editor):
    petition = open_petition()
    hour = services.this_hour() - datetime.timedelta(hours=2)
    for token in pending(petition, 5, email_domain="mail.example", signed_hour=hour):
        services.confirm(petition, token)
    staff = verified_client(editor)
    address = f"/admin/petitions/petition/{petition.pk}/moderate/"
    window = {
        "hour_from": timezone.localtime(hour).strftime("%Y-%m-%d %H:%M"),
        "hour_to": timezone.localtime(hour + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
    }
    page = staff.post(address, {**window, "preview": "1"}).content.decode()
    assert "5 signatures match: 5 confirmed, 0 waiting for confirmation." in page
    fingerprint = services.preview(
        petition, services.Criteria(hour_from=hour, hour_to=hour + datetime.timedelta(hours=1))
    ).fingerprint
    assert fingerprint in page
    staff.post(address, {**window, "fingerprint": fingerprint, "reason": "a burst", "invalidate": "1"})
    assert Petition.objects.get().signature_count == 0


def test_a_staff_member_without_the_role_cannot_moderate(verified_client):
    from solidarity.staff.services import create_staff_member
    from solidarity.staff.tests.helpers import PASSWORD

    petition = open_petition()
    volunteer = create_staff_member(username="vol", roles=["letters volunteer"], password=PASSWORD).user
    assert (
        verified_client(volunteer).get(f"/admin/petitions/petition/{petition.pk}/moderate/").status_code
        == 403
    )


def test_the_delivery_carries_the_count_by_country_and_the_names_shown_and_no_address(
    client, verified_client, editor
):
    petition = open_petition()
    for token in pending(petition, 5, country="DE"):
        services.confirm(petition, token)
    (anna,) = pending(petition, 1, country="PL", name="Anna Nowak")
    services.confirm(petition, anna)
    signed_and_confirmed(client, petition, "hidden@example.org", country="LT", name="Not Shown")
    petition.refresh_from_db()
    text = delivery.as_csv(petition, "en").decode("utf-8-sig")
    assert "Germany,5" in text and "Other countries (fewer than 5 signers each),,2" not in text
    assert "Other countries (fewer than 5 signers each),2" in text
    assert "name shown,Poland,Anna Nowak" in text and "Not Shown" not in text and "@" not in text
    assert "confirmed signatures,,7" in text

    staff = verified_client(editor)
    response = staff.post(
        "/admin/petitions/petition/", {"action": "export_pdf", "_selected_action": [petition.pk]}
    )
    assert response["Content-Type"] == "application/pdf"
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Free all political prisoners" in pdf and "7 confirmed signatures" in pdf.replace("\u00a0", " ")
    assert "Germany" in pdf and "Anna Nowak" in pdf and "Not Shown" not in pdf and "@" not in pdf
    assert "Lithuania" not in pdf and "Poland 1" not in pdf  # one signer's country is not shown alone


def test_editors_open_close_and_mark_a_petition_delivered_with_its_days(verified_client, editor):
    staff = verified_client(editor)
    draft = Petition.objects.create(slug="draft", title="Draft", text="t", addressees="a")
    listing = "/admin/petitions/petition/"
    staff.post(listing, {"action": "open_chosen", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "open" and draft.opened_on == timezone.localdate()
    staff.post(listing, {"action": "close_chosen", "_selected_action": [draft.pk]})
    assert Petition.objects.get(pk=draft.pk).status == "closed"
    staff.post(listing, {"action": "mark_delivered", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "delivered" and draft.delivered_on == timezone.localdate()
