"""A petition's count anyone can check: a hash chain with one entry per day, over the receipts
confirmed and invalidated that day, the count after it and the previous entry's digest.

Plain Python, no Django: a signer or a journalist downloads `ledger.json` from the petition's
page and runs `python -m solidarity.petitions.ledger ledger.json [receipt] [--since older.json]`
(or copies this file): it recomputes every digest, checks that each day's count is the day
before's plus what was confirmed minus what was invalidated (so the count never shrinks without a
listed invalidation); given a receipt, which begins with the day it was counted, it checks that
the day's entry lists it; given a copy downloaded earlier, it checks that the ledger only grew
from it (a chain made again from the start, without a receipt, verifies on its own: kept copies,
the signers' and anyone's, are what show it)."""

import hashlib
import json
import sys
from pathlib import Path

FORMAT = "solidarity-petition-ledger/1"
GENESIS = "0" * 64


def receipt_digest(receipt: str) -> str:
    """A receipt's SHA-256, over its letters and digits in capitals (dashes and spaces, however
    typed, are not part of it)."""
    return hashlib.sha256("".join(c for c in receipt.upper() if c.isalnum()).encode()).hexdigest()


def entry_digest(petition: str, entry: dict) -> str:
    signed = {
        "petition": petition,
        "day": entry["day"],
        "confirmed": entry["confirmed"],
        "invalidated": entry["invalidated"],
        "count": entry["count"],
        "previous": entry["previous"],
    }
    return hashlib.sha256(json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def problems(ledger: dict) -> list[str]:
    """What is wrong with a published ledger; an empty list means it verifies."""
    if ledger.get("format") != FORMAT:
        return [f"not a petition ledger ({FORMAT})"]
    petition, found = ledger["petition"], []
    previous, count, last_day = GENESIS, 0, ""
    counted: set[str] = set()
    withdrawn: set[str] = set()
    for entry in ledger["entries"]:
        day = entry["day"]
        if day <= last_day:
            found.append(f"{day}: out of order")
        if entry["previous"] != previous:
            found.append(f"{day}: does not follow the entry before it")
        if entry_digest(petition, entry) != entry["digest"]:
            found.append(f"{day}: its digest does not match what it holds (changed after it was published)")
        for digest in entry["confirmed"]:
            if digest in counted:
                found.append(f"{day}: a receipt counted twice")
            counted.add(digest)
        for digest in entry["invalidated"]:
            if digest not in counted or digest in withdrawn:
                found.append(f"{day}: invalidates a receipt that was not counted")
            withdrawn.add(digest)
        expected = count + len(entry["confirmed"]) - len(entry["invalidated"])
        if entry["count"] != expected:
            found.append(f"{day}: the count is {entry['count']}, but what the chain lists makes {expected}")
        previous, count, last_day = entry["digest"], entry["count"], day
    return found


def extends(older: dict, newer: dict) -> list[str]:
    """What is wrong if `newer` is not `older` with days added: an earlier entry changed or gone."""
    if older.get("petition") != newer.get("petition"):
        return ["the two ledgers are of different petitions"]
    found = []
    for index, entry in enumerate(older["entries"]):
        if index >= len(newer["entries"]) or newer["entries"][index]["digest"] != entry["digest"]:
            found.append(f"{entry['day']}: the entry downloaded earlier is not in the ledger as it was")
            break
    return found


def receipt_day(receipt: str) -> str | None:
    """The day a receipt says it was counted (receipts begin with it: 20261203-...)."""
    head = receipt.strip().split("-", 1)[0]
    return f"{head[:4]}-{head[4:6]}-{head[6:8]}" if len(head) == 8 and head.isdigit() else None


def find(ledger: dict, receipt: str) -> dict:
    """Where a receipt is in the ledger: {"counted": day or None, "invalidated": day or None,
    "missing": True when the ledger has the day the receipt names and does not list it}."""
    digest = receipt_digest(receipt)
    where = {"counted": None, "invalidated": None, "missing": False}
    for entry in ledger["entries"]:
        if digest in entry["confirmed"]:
            where["counted"] = entry["day"]
        if digest in entry["invalidated"]:
            where["invalidated"] = entry["day"]
    day = receipt_day(receipt)
    sealed = {entry["day"] for entry in ledger["entries"]}
    last = max(sealed, default="")
    where["missing"] = bool(day) and where["counted"] is None and (day in sealed or day < last)
    return where


def main(arguments: list[str]) -> int:
    since = None
    if "--since" in arguments:
        at = arguments.index("--since")
        if at + 1 >= len(arguments):
            print("--since needs the ledger downloaded earlier: --since older.json")
            return 2
        since, arguments = arguments[at + 1], arguments[:at] + arguments[at + 2 :]
    if not arguments:
        print("usage: python -m solidarity.petitions.ledger ledger.json [receipt] [--since older.json]")
        return 2
    ledger = json.loads(Path(arguments[0]).read_text(encoding="utf-8"))
    found = problems(ledger)
    if since:
        found += extends(json.loads(Path(since).read_text(encoding="utf-8")), ledger)
    where = find(ledger, arguments[1]) if len(arguments) > 1 else None
    if where and where["missing"]:
        found.append(
            f"the receipt says it was counted on {receipt_day(arguments[1])}, and that day does not list it"
        )
    for problem in found:
        print("PROBLEM", problem)
    entries = ledger["entries"]
    if not found:
        last = entries[-1] if entries else {"day": "-", "count": 0}
        print(f"verified: {len(entries)} days, {last['count']} signatures counted up to {last['day']}")
    if where and where["counted"]:
        print(f"this receipt was counted on {where['counted']}")
        if where["invalidated"]:
            print(f"...and invalidated on {where['invalidated']}")
    elif where and not where["missing"]:
        print("this receipt is not in the ledger yet: a day's receipts are added the day after")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
