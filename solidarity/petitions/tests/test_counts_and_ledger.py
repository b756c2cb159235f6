"""Exact counts under concurrency, a recount that proves them, and the public ledger: it verifies
with a script that knows nothing of Django, and it fails when a receipt is removed."""

import datetime
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from solidarity.petitions import ledger, services
from solidarity.petitions.models import LedgerEntry, Petition, Signature

from .helpers import open_petition, pending, signed_and_confirmed


def _confirm_or_refused(token: str) -> str:
    try:
        services.confirm(Petition.objects.get(), token)
        return "counted"
    except services.NotAllowed:
        return "refused"
    finally:
        connection.close()  # each thread's own: none is left holding the test database


@pytest.mark.django_db(transaction=True)
def test_three_hundred_concurrent_confirmations_count_exactly_three_hundred():
    petition = open_petition()
    tokens = pending(petition, 300)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(_confirm_or_refused, tokens + tokens[:50]))  # 50 links followed twice
    assert results.count("counted") == 300 and results.count("refused") == 50
    petition.refresh_from_db()
    assert petition.signature_count == 300 == Signature.objects.filter(status="confirmed").count()
    assert services.recount(petition).agrees
    print(f"\n300 concurrent confirmations on {connection.vendor}: counted {petition.signature_count}")


@pytest.mark.django_db(transaction=True)
def test_one_link_followed_many_times_at_once_counts_once():
    petition = open_petition()
    (token,) = pending(petition, 1)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(_confirm_or_refused, [token] * 16))
    assert results.count("counted") == 1 and Petition.objects.get().signature_count == 1


@pytest.mark.django_db
def test_the_recount_command_fails_when_the_stored_count_disagrees(capsys):
    petition = open_petition()
    for token in pending(petition, 3):
        services.confirm(petition, token)
    call_command("recount_petitions")
    assert "stored 3, confirmed signatures 3, ledger verifies: agrees" in capsys.readouterr().out
    Petition.objects.filter(pk=petition.pk).update(signature_count=4)
    with pytest.raises(CommandError, match="1 petition"):
        call_command("recount_petitions")


def _days_of_signing(client, petition: Petition) -> dict:
    """Signatures confirmed over three days, one of them invalidated on the third: the receipts."""
    start = datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC)
    receipts = {}
    with time_machine.travel(start, tick=False):
        petition.opened_on = start.date()
        petition.save()
        receipts["a"] = signed_and_confirmed(client, petition, "a@example.org")
        receipts["b"] = signed_and_confirmed(client, petition, "b@spam.example")
    with time_machine.travel(start + datetime.timedelta(days=1), tick=False):
        receipts["c"] = signed_and_confirmed(client, petition, "c@example.org")
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        from solidarity.staff.services import create_staff_member

        editor = create_staff_member(username="ed", roles=["editor"], password="x" * 16).user
        criteria = services.Criteria(domain="spam.example")
        found = services.preview(petition, criteria)
        services.invalidate(petition, criteria, fingerprint=found.fingerprint, reason="bought", by=editor)
    with time_machine.travel(start + datetime.timedelta(days=4), tick=False):
        services.seal_ledger()
    return receipts


@pytest.mark.django_db
def test_the_ledger_verifies_finds_receipts_and_lists_an_invalidation(client):
    petition = open_petition()
    receipts = _days_of_signing(client, petition)
    with time_machine.travel(datetime.datetime(2026, 11, 6, 9, tzinfo=datetime.UTC), tick=False):
        published = json.loads(client.get(f"/en/petitions/{petition.slug}/ledger.json").content)
        page = client.get(f"/en/petitions/{petition.slug}/ledger/").content.decode()
    assert ledger.problems(published) == []
    assert [
        (e["day"], len(e["confirmed"]), len(e["invalidated"]), e["count"]) for e in published["entries"]
    ] == [
        ("2026-11-02", 2, 0, 2),
        ("2026-11-03", 1, 0, 3),
        ("2026-11-04", 0, 1, 2),
        ("2026-11-05", 0, 0, 2),
    ]
    assert ledger.find(published, receipts["a"]) == {
        "counted": "2026-11-02",
        "invalidated": None,
        "missing": False,
    }
    assert ledger.find(published, receipts["b"].lower().replace("-", " ")) == {
        "counted": "2026-11-02",
        "invalidated": "2026-11-04",
        "missing": False,
    }
    assert services.recount(petition).agrees and Petition.objects.get().signature_count == 2
    assert published["entries"][-1]["digest"][:16] in page


@pytest.mark.django_db
def test_a_removed_receipt_is_detected_even_when_the_digests_are_made_again(client):
    petition = open_petition()
    receipts = _days_of_signing(client, petition)
    published = services.published_ledger(petition)
    tampered = json.loads(json.dumps(published))
    tampered["entries"][0]["confirmed"].remove(ledger.receipt_digest(receipts["a"]))
    assert "2026-11-02: its digest does not match what it holds" in " ".join(ledger.problems(tampered))
    # A forger who also makes every digest again still cannot make the counts add up...
    previous = ledger.GENESIS
    for entry in tampered["entries"]:
        entry["previous"] = previous
        entry["digest"] = previous = ledger.entry_digest(tampered["petition"], entry)
    assert "the count is 2, but what the chain lists makes 1" in " ".join(ledger.problems(tampered))
    # ...and lowering the counts to match breaks the chain anyone kept a copy of (its head).
    for entry in tampered["entries"]:
        entry["count"] -= 1
    previous = ledger.GENESIS
    for entry in tampered["entries"]:
        entry["previous"] = previous
        entry["digest"] = previous = ledger.entry_digest(tampered["petition"], entry)
    assert (
        ledger.problems(tampered) == []
        and tampered["entries"][-1]["digest"] != published["entries"][-1]["digest"]
    )
    # The rows still hold the removed receipt's signature: the recount finds it too.
    entry = LedgerEntry.objects.get(day=datetime.date(2026, 11, 2))
    entry.confirmed = tampered["entries"][0]["confirmed"]
    entry.save()
    assert not services.recount(petition).agrees


@pytest.mark.django_db
def test_the_ledger_script_runs_without_django(client, tmp_path):
    import subprocess
    import sys

    petition = open_petition()
    receipts = _days_of_signing(client, petition)
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(services.published_ledger(petition)))
    script = (
        "import sys, runpy; sys.modules['django'] = None; sys.argv = ['ledger', *sys.argv[1:]]; "
        "runpy.run_module('solidarity.petitions.ledger', run_name='__main__')"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script, str(path), receipts["c"]], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verified: 4 days, 2 signatures counted up to 2026-11-05" in result.stdout
    assert "this receipt was counted on 2026-11-03" in result.stdout


@pytest.mark.django_db
def test_a_signer_checks_a_receipt_on_the_site(client):
    petition = open_petition()
    receipt = signed_and_confirmed(client, petition, "z@example.org")
    page = client.post(f"/en/petitions/{petition.slug}/receipt/", {"receipt": receipt}).content.decode()
    assert "This receipt is counted" in page
    page = client.post(f"/en/petitions/{petition.slug}/receipt/", {"receipt": "AAAA-BBBB"}).content.decode()
    assert "No counted signature of this petition has this receipt" in page
    assert not mail.outbox[1:]
