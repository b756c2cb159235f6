"""E-mail addresses as one person's: normalised, then kept only as a keyed hash.

Most providers deliver `Anna.Smith+x@example.org` only to that mailbox; a few deliver many
spellings to one mailbox, and a person could sign once per spelling. Those are listed here with
what they ignore. A provider not listed keeps its address as written (lower case only: no
provider we know tells mailboxes apart by case), so that two people are never merged into one."""

import hashlib
import hmac

from django.conf import settings

# Domains that deliver to one mailbox whatever dots are in the local part, and whatever follows
# a "+" (Gmail, and Google's old domain, which is the same mailbox).
IGNORE_DOTS_AND_TAGS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
# Domains where "+anything" reaches the same mailbox, but dots are part of the name.
IGNORE_TAGS = {
    "outlook.com",
    "hotmail.com",
    "live.com",
    "icloud.com",
    "me.com",
    "fastmail.com",
    "proton.me",
    "protonmail.com",
    "yandex.ru",
    "ya.ru",
}


# Providers with millions of users: their name says nothing of who signed, and moderation needs
# it (a burst from one of them). Any other domain may be a family's or a small group's own: it is
# kept only as a keyed hash.
LARGE_PROVIDERS = {
    "gmail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "aol.com",
    "icloud.com", "me.com", "proton.me", "protonmail.com", "fastmail.com", "gmx.de", "gmx.net",
    "web.de", "t-online.de", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "seznam.cz", "orange.fr",
    "free.fr", "laposte.net", "libero.it", "mail.ru", "yandex.ru", "ya.ru", "bk.ru", "inbox.ru",
    "list.ru", "rambler.ru", "tut.by", "ukr.net", "i.ua", "inbox.lv", "zoho.com", "tutanota.com",
}  # fmt: skip


def plain(address: str) -> bool:
    """An address a person writes: no quoted local part, no bracketed domain literal. Quoting and
    literals are valid mail syntax, but would give one mailbox several spellings."""
    local, _at, domain = address.strip().rpartition("@")
    return bool(local) and '"' not in local and "\\" not in local and not domain.startswith("[")


def _domain(domain: str) -> str:
    domain = domain.strip().rstrip(".").lower()
    try:
        return domain.encode("idna").decode("ascii")  # "bé.org" and "xn--b-bga.org" are one domain
    except UnicodeError:
        return domain


def normalised(address: str) -> str:
    local, _at, domain = address.strip().lower().rpartition("@")
    domain = _domain(domain)
    if domain in IGNORE_DOTS_AND_TAGS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = IGNORE_DOTS_AND_TAGS[domain]
    elif domain in IGNORE_TAGS:
        local = local.split("+", 1)[0]
    return f"{local}@{domain}"


def domain_of(address: str) -> str:
    return normalised(address).rpartition("@")[2]


def stored_domain(domain: str) -> str:
    """What a signature keeps of its address's domain: a large provider's name, or a keyed hash."""
    domain = _domain(domain.lstrip("@"))
    domain = IGNORE_DOTS_AND_TAGS.get(domain, domain)  # googlemail.com is stored as gmail.com
    if domain in LARGE_PROVIDERS or domain.startswith("#"):
        return domain
    return "#" + hmac.new(_key(), f"domain:{domain}".encode(), hashlib.sha256).hexdigest()[:16]


def _key() -> bytes:
    secret = settings.PETITIONS_PEPPER or settings.SECRET_KEY
    return hmac.new(secret.encode(), b"petitions:address", hashlib.sha256).digest()


def address_hash(petition_id: int, address: str) -> str:
    """The same person for the same petition gives the same hash; across petitions they differ,
    so that no one can tell from the tables that two petitions share a signer."""
    return hmac.new(_key(), f"{petition_id}:{normalised(address)}".encode(), hashlib.sha256).hexdigest()
