"""A petition open for signatures, and signing as a visitor's browser signs (without JavaScript:
the guard's question)."""

import re
import secrets

from django.core import mail, signing
from django.utils import timezone

from solidarity.core import guard
from solidarity.petitions import services
from solidarity.petitions.addresses import stored_domain
from solidarity.petitions.models import Petition, Signature


def open_petition(slug: str = "free-them-all", **fields) -> Petition:
    petition = Petition.objects.create(
        slug=slug,
        title_en="Free all political prisoners, or stop the rail trade",
        title_ru="Освободите всех политзаключённых — или остановите железнодорожную торговлю",
        text_en="We call on the governments of Europe to act.",
        addressees_en="The governments of the EU member states",
        goal=fields.pop("goal", 1000),
        **fields,
    )
    services.open_petition(petition)
    petition.refresh_from_db()
    return petition


def guard_answer() -> dict:
    token = signing.dumps({"answer": 7, "nonce": secrets.token_hex(8)}, salt=guard.QUESTION_SALT)
    return {"answer": "7", "question_token": token}


def sign(client, petition: Petition, email: str, *, language: str = "en", **fields):
    form = {"country": "DE", "show_name": "", "name": "", "email": email, **guard_answer(), **fields}
    return client.post(f"/{language}/petitions/{petition.slug}/sign/", form)


def link_in(message) -> str:
    return re.search(r"https?://\S+/confirm/\S+/", message.body).group(0)


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def confirm_by_mail(client, message) -> str:
    """Follows the mail's link, presses the button; returns the receipt shown."""
    path = path_of(link_in(message))
    assert "<h1>Confirm your signature</h1>" in client.get(path).content.decode()
    page = client.post(path).content.decode()
    return re.search(r'<p class="codename" id="receipt">([^<]+)</p>', page).group(1)


def signed_and_confirmed(client, petition: Petition, email: str, **fields) -> str:
    mail.outbox.clear()
    sign(client, petition, email, **fields)
    (message,) = mail.outbox
    return confirm_by_mail(client, message)


def pending(petition: Petition, n: int, **fields) -> list[str]:
    """`n` signatures waiting for confirmation, made directly; their links' tokens."""
    tokens = [secrets.token_urlsafe(32) for _ in range(n)]
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            country=fields.get("country", "PL"),
            language="en",
            address_hash=secrets.token_hex(32),
            email_domain=stored_domain(fields.get("email_domain", "example.org")),
            name=fields.get("name", ""),
            show_name=bool(fields.get("name")),
            token_hash=services.token_digest(token),
            signed_hour=fields.get("signed_hour") or services.this_hour(),
        )
        for token in tokens
    )
    return tokens


def today():
    return timezone.localdate()
