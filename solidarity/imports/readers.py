"""Reading a snapshot file into records, whatever its format and encoding.

Three formats: our own snapshot (`export_registry`), and the canonical list's JSON and CSV exports.
A reader yields `(record_number, record)` pairs; a file it cannot read at all raises `FileError`
with a message for a person, and nothing is written.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from solidarity.registry.snapshot import FORMAT as SNAPSHOT_FORMAT
from solidarity.registry.snapshot import VERSION as SNAPSHOT_VERSION

# The list's two export formats keep the codes every import batch is stored with.
FORMATS = ("snapshot", "viasna-json", "viasna-csv")
MAX_BYTES = 200 * 1024 * 1024


class FileError(ValueError):
    """The file as a whole cannot be read; the message says why, for an editor."""


# The canonical list's CSV export, with its machine header and the human-readable ones.
LIST_CSV_COLUMNS = [
    "id",
    "url",
    "name",
    "status",
    "gender",
    "photo",
    "description",
    "birthday",
    "arrested",
    "articles",
    "prison",
    "declaration",
    "decision",
    "penalty",
    "judge",
    "councel",
    "penalty_start_date",
    "release_date",
    "verdict_date",
    "appeal_date",
    "fake_terrorist_list",
    "died",
    "clusters",
]
HUMAN_HEADERS = {
    # English
    "name": "name",
    "full name": "name",
    "status": "status",
    "gender": "gender",
    "sex": "gender",
    "photo": "photo",
    "description": "description",
    "date of birth": "birthday",
    "birthday": "birthday",
    "date of arrest": "arrested",
    "arrested": "arrested",
    "detained": "arrested",
    "articles": "articles",
    "prison": "prison",
    "place of detention": "prison",
    "declaration": "declaration",
    "recognition": "declaration",
    "sentence": "decision",
    "decision": "decision",
    "term": "decision",
    "penalty": "penalty",
    "punishment": "penalty",
    "judge": "judge",
    "lawyer": "councel",
    "counsel": "councel",
    "date of release": "release_date",
    "release date": "release_date",
    "date of verdict": "verdict_date",
    "verdict date": "verdict_date",
    "date of appeal": "appeal_date",
    "appeal date": "appeal_date",
    "start of the term": "penalty_start_date",
    "died": "died",
    "terrorist list": "fake_terrorist_list",
    "url": "url",
    "link": "url",
    "id": "id",
    # Russian
    "имя": "name",
    "фио": "name",
    "статус": "status",
    "пол": "gender",
    "фото": "photo",
    "описание": "description",
    "дата рождения": "birthday",
    "дата задержания": "arrested",
    "дата ареста": "arrested",
    "статьи": "articles",
    "место заключения": "prison",
    "тюрьма": "prison",
    "заявление": "declaration",
    "признание": "declaration",
    "приговор": "decision",
    "срок": "decision",
    "наказание": "penalty",
    "судья": "judge",
    "адвокат": "councel",
    "дата освобождения": "release_date",
    "дата приговора": "verdict_date",
    "дата апелляции": "appeal_date",
    "начало срока": "penalty_start_date",
    "умер": "died",
    "ссылка": "url",
    # Belarusian
    "імя": "name",
    "прозвішча, імя": "name",
    "стан": "status",
    "фота": "photo",
    "апісанне": "description",
    "дата нараджэння": "birthday",
    "дата затрымання": "arrested",
    "артыкулы": "articles",
    "месца зняволення": "prison",
    "турма": "prison",
    "заява": "declaration",
    "прызнанне": "declaration",
    "прысуд": "decision",
    "тэрмін": "decision",
    "пакаранне": "penalty",
    "суддзя": "judge",
    "адвакат": "councel",
    "дата вызвалення": "release_date",
    "дата прысуду": "verdict_date",
    "дата апеляцыі": "appeal_date",
    "пачатак тэрміну": "penalty_start_date",
    "памёр": "died",
    "спасылка": "url",
}


@dataclass
class Parsed:
    format: str
    records: list[tuple[int, dict]]
    # For a snapshot: its reference data (facilities, articles...), read before the people.
    reference: dict | None = None


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1251: the encodings the list's exports come in."""
    if len(data) > MAX_BYTES:
        raise FileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if b"\x00" in data[:4096]:
        raise FileError("This is not a text file (it contains binary data).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as error:
        raise FileError("The file is neither UTF-8 nor Windows-1251 text.") from error


def detect(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "snapshot"
    if stripped.startswith("["):
        return "viasna-json"
    return "viasna-csv"


def read(data: bytes, fmt: str = "auto") -> Parsed:
    text = decode(data)
    if not text.strip():
        raise FileError("The file is empty.")
    fmt = detect(text) if fmt == "auto" else fmt
    if fmt == "snapshot":
        return _read_snapshot(text)
    if fmt == "viasna-json":
        return Parsed(fmt, list(_read_list_json(text)))
    if fmt == "viasna-csv":
        return Parsed(fmt, list(_read_list_csv(text)))
    raise FileError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")


def _load_json(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FileError(
            f"The JSON is broken at line {error.lineno}, column {error.colno}: {error.msg}."
        ) from error


def _read_snapshot(text: str) -> Parsed:
    document = _load_json(text)
    if not isinstance(document, dict) or document.get("format") != SNAPSHOT_FORMAT:
        raise FileError("This JSON is not a registry snapshot (its 'format' is missing or different).")
    if document.get("version") != SNAPSHOT_VERSION:
        raise FileError(
            f"Snapshot version {document.get('version')!r} is not supported (only {SNAPSHOT_VERSION})."
        )
    people = document.get("people")
    if not isinstance(people, list):
        raise FileError("The snapshot has no list of people.")
    reference = {
        key: document.get(key) or []
        for key in ("regions", "facility_kinds", "interests", "articles", "facilities")
    }
    return Parsed("snapshot", list(enumerate(people, start=1)), reference)


def _read_list_json(text: str) -> Iterator[tuple[int, dict]]:
    document = _load_json(text)
    if not isinstance(document, list):
        raise FileError("The list's JSON export is a list of records; this file is not.")
    yield from enumerate(document, start=1)


def _header_key(name: str) -> str | None:
    name = name.strip().strip("\ufeff").lower()
    if name in LIST_CSV_COLUMNS:
        return name
    return HUMAN_HEADERS.get(name)


def _read_list_csv(text: str) -> Iterator[tuple[int, dict]]:
    # The delimiter is whichever of , ; or tab the header uses most (Excel in a Russian locale
    # writes ;). csv.Sniffer guesses from the data too, and is misled by quoted commas.
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(rows)
    except (StopIteration, csv.Error) as error:
        raise FileError("The CSV has no header row.") from error
    keys = [_header_key(column) for column in header]
    if "name" not in keys:
        raise FileError("The CSV header has no name column; it does not look like the list's export.")
    try:
        for number, row in enumerate(rows, start=1):
            if not any(cell.strip() for cell in row):
                continue
            record = {key: value for key, value in zip(keys, row, strict=False) if key}
            if len(row) != len(header):
                record["_error"] = f"has {len(row)} columns instead of {len(header)}"
            yield number, record
    except csv.Error as error:
        raise FileError(f"The CSV is broken: {error}.") from error
