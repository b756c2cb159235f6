"""The offline tool as the legal team uses it: `keygen`, then `open` on a bundle sealed with
sealing's own functions. Plain functions, no database: the tool runs where there is none."""

import hashlib
import io
import json
import os
import secrets
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader

from solidarity.testimonies import offline, sealing

ROOT = Path(__file__).resolve().parents[3]
ANSWER = "Меня задержали у дома, телефон забрали."
ADDITION = "Вспомнила ещё: номер машины начинался на 7."


def jpeg_with_exif() -> bytes:
    """A picture lying on its side (orientation 6), with the phone's make and a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (53.0, 54.0, 0.0)}
    exif[0x0112] = 6
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def pdf_with_author() -> bytes:
    document = FPDF()
    document.set_author("Ivan Witness")
    document.add_page()
    return bytes(document.output())


def sealed_part(kind: str, answers: dict, public) -> dict:
    content = json.dumps({"language": "ru", "answers": answers}).encode()
    return {"kind": kind, "added_on": "2025-03-02", "sealed": sealing.b64(sealing.seal(content, public))}


def sealed_file(name: str, content_type: str, data: bytes, public, sha256: str = "") -> tuple[dict, bytes]:
    """A file as the site seals it on arrival, pushed in pieces as an upload arrives."""
    sealer = sealing.FileSealer()
    body = bytearray(sealer.header)
    for start in range(0, len(data), 100_000):
        body += sealer.push(data[start : start + 100_000])
    body += sealer.finish()
    meta = {
        "name": name,
        "content_type": content_type,
        "sha256": sha256 or sealer.sha256.hexdigest(),
        "size": sealer.size,
        "metadata_removed": False,
    }
    entry = {
        "path": f"files/{secrets.token_hex(8)}.sealed",
        "added_on": "2025-03-01",
        "sealed_key": sealing.b64(sealing.seal(sealer.key, public)),
        "sealed_meta": sealing.b64(sealing.seal(json.dumps(meta).encode(), public)),
    }
    return entry, bytes(body)


def bundled(reference: str, parts: list[dict], files: list[tuple[dict, bytes]] = ()) -> dict:
    return {
        "reference": reference,
        "received_on": "2025-03-01",
        "consent": {"legal_team": True, "court": False, "publication": False},
        "withdrawn_on": None,
        "parts": parts,
        "files": [entry for entry, _ in files],
        "custody": [
            {"what": "received", "role": "site", "on": "2025-03-01"},
            {"what": "exported", "role": "legal", "on": "2025-03-10"},
        ],
        "sealed_files": {entry["path"]: body for entry, body in files},  # the zip's members, not JSON
    }


def write_bundle(path: Path, testimonies: list[dict], format: str = offline.FORMAT, extra=None) -> Path:
    """The export zip; `extra` adds members to it, as {name: bytes}."""
    entries = [{key: value for key, value in t.items() if key != "sealed_files"} for t in testimonies]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "bundle.json", json.dumps({"format": format, "exported_on": "2025-03-10", "testimonies": entries})
        )
        for t in testimonies:
            for member, body in t["sealed_files"].items():
                archive.writestr(member, body)
        for member, body in (extra or {}).items():
            archive.writestr(member, body)
    return path


@pytest.fixture
def keys(tmp_path):
    """(public key, private.key's path), made by the tool itself."""
    assert offline.main(["keygen", str(tmp_path / "keys")]) == 0
    return sealing.public_key(
        (tmp_path / "keys" / "public.key").read_text()
    ), tmp_path / "keys" / "private.key"


@pytest.fixture
def sent(keys):
    """What two witnesses sent: the one a photo, a PDF and a large file; the other answers and an
    addition. Returns the inputs by name, and the two testimonies as the bundle holds them."""
    public, _ = keys
    inputs = {
        "IMG_0042.jpg": ("image/jpeg", jpeg_with_exif()),
        "statement.pdf": ("application/pdf", pdf_with_author()),
        "recording.bin": ("application/octet-stream", os.urandom(1_000_000)),
    }
    first = bundled(
        "T-7KQ2MX",
        [sealed_part("answers", {"what_happened": ANSWER, "where": "Минск"}, public)],
        [sealed_file(name, kind, data, public) for name, (kind, data) in inputs.items()],
    )
    second = bundled(
        "T-3FD9WA",
        [
            sealed_part("answers", {"what_happened": "Не помню дату."}, public),
            sealed_part("addition", {"more": ADDITION}, public),
        ],
    )
    return inputs, [first, second]


def open_bundle(tmp_path, keys, testimonies, **bundle) -> tuple[int, Path]:
    path = write_bundle(tmp_path / "export.zip", testimonies, **bundle)
    out = tmp_path / "cases"
    return offline.main(["open", str(path), "--key", str(keys[1]), "--out", str(out)]), out


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def test_keygen_writes_the_pair_and_never_replaces_a_private_key(tmp_path, capsys):
    folder = tmp_path / "keys"
    assert offline.main(["keygen", str(folder)]) == 0
    private = (folder / "private.key").read_text()
    assert stat.S_IMODE((folder / "private.key").stat().st_mode) == 0o600
    own_public = sealing.private_key(private).public_key
    assert bytes(sealing.public_key((folder / "public.key").read_text())) == bytes(own_public)
    assert "TESTIMONY_PUBLIC_KEY" in capsys.readouterr().out

    assert offline.main(["keygen", str(folder)]) == 2
    assert (folder / "private.key").read_text() == private
    assert "already exists" in capsys.readouterr().err


def test_open_writes_originals_working_copies_answers_and_a_manifest(tmp_path, keys, sent, monkeypatch):
    monkeypatch.setattr(offline.shutil, "which", lambda program: None)  # no mat2: Pillow and pikepdf clean
    inputs, testimonies = sent
    code, out = open_bundle(tmp_path, keys, testimonies)
    assert code == 0

    folder = out / "T-7KQ2MX"
    record = manifest(folder)
    assert record["consent"] == {"legal_team": True, "court": False, "publication": False}
    assert [step["what"] for step in record["custody"]] == ["received", "exported"]
    assert record["errors"] == []
    files = {file["name"]: file for file in record["files"]}
    assert set(files) == set(inputs)
    for name, (content_type, data) in inputs.items():
        assert (folder / "originals" / name).read_bytes() == data
        assert files[name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert files[name]["hash_matches"] is True
        assert files[name]["size"] == len(data)
        assert files[name]["content_type"] == content_type

    assert files["IMG_0042.jpg"]["cleaned_by"] == "pillow"
    with Image.open(folder / files["IMG_0042.jpg"]["working_copy"]) as working:
        assert len(working.getexif()) == 0
        assert "exif" not in working.info
        assert working.size == (20, 40)  # turned upright before the orientation tag went
    assert files["statement.pdf"]["cleaned_by"] == "pikepdf"
    with pikepdf.open(folder / files["statement.pdf"]["working_copy"]) as working:
        assert "/Author" not in working.docinfo
        assert "/Metadata" not in working.Root
    assert files["recording.bin"]["working_copy"] is None
    assert files["recording.bin"]["no_working_copy_because"]

    answers = json.loads((folder / "answers.json").read_text())
    assert answers[0]["kind"] == "answers"
    assert answers[0]["answers"]["what_happened"] == ANSWER
    assert ANSWER in PdfReader(folder / "answers.pdf").pages[0].extract_text()
    assert record["answers_pdf"] == "answers.pdf"

    other = json.loads((out / "T-3FD9WA" / "answers.json").read_text())
    assert [part["kind"] for part in other] == ["answers", "addition"]
    assert other[1]["answers"]["more"] == ADDITION


def test_a_changed_file_is_recorded_and_everything_else_still_opens(tmp_path, keys, sent, capsys):
    inputs, testimonies = sent
    sealed_files = testimonies[0]["sealed_files"]
    recording = testimonies[0]["files"][2]["path"]
    body = bytearray(sealed_files[recording])
    body[len(body) // 2] ^= 1
    sealed_files[recording] = bytes(body)

    code, out = open_bundle(tmp_path, keys, testimonies)
    assert code == 1
    record = manifest(out / "T-7KQ2MX")
    assert len(record["errors"]) == 1
    assert "changed" in record["errors"][0]
    assert not (out / "T-7KQ2MX" / "originals" / "recording.bin").exists()  # only complete originals
    assert (out / "T-7KQ2MX" / "originals" / "IMG_0042.jpg").read_bytes() == inputs["IMG_0042.jpg"][1]
    assert manifest(out / "T-3FD9WA")["errors"] == []
    assert (out / "T-3FD9WA" / "answers.json").exists()
    assert "errors 1" in capsys.readouterr().out


def test_a_hash_other_than_the_sealed_one_is_recorded(tmp_path, keys):
    public, _ = keys
    data = b"a file that is not what was sealed on arrival"
    entry = bundled("T-HASH01", [], [sealed_file("note.txt", "text/plain", data, public, sha256="0" * 64)])
    code, out = open_bundle(tmp_path, keys, [entry])
    assert code == 1
    record = manifest(out / "T-HASH01")
    assert record["files"][0]["hash_matches"] is False
    assert "SHA-256" in record["errors"][0]
    assert (out / "T-HASH01" / "originals" / "note.txt").read_bytes() == data


def test_a_wrong_key_is_refused_before_anything_is_written(tmp_path, keys, sent, capsys):
    assert offline.main(["keygen", str(tmp_path / "other")]) == 0
    code, out = open_bundle(tmp_path, (None, tmp_path / "other" / "private.key"), sent[1])
    assert code == 2
    assert not out.exists()
    assert "private key" in capsys.readouterr().err


@pytest.mark.parametrize(
    "bundle",
    [
        {"format": "solidarity-testimonies/2"},
        {"extra": {"../outside.txt": b"x"}},
        {"extra": {"/etc/x": b"x"}},
    ],
)
def test_a_bundle_not_ours_or_escaping_is_refused(tmp_path, keys, sent, bundle):
    code, out = open_bundle(tmp_path, keys, sent[1], **bundle)
    assert code == 2
    assert not out.exists()


def test_without_the_font_the_manifest_says_there_is_no_pdf(tmp_path, keys, sent, monkeypatch):
    monkeypatch.setattr(offline, "FONT", tmp_path / "missing.ttf")
    code, out = open_bundle(tmp_path, keys, sent[1][1:])
    assert code == 0
    record = manifest(out / "T-3FD9WA")
    assert record["answers_pdf"] is None
    assert "missing.ttf" in record["answers_pdf_note"]


@pytest.mark.parametrize(
    ("sent_as", "written"),
    [
        ("IMG_0042.jpg", "IMG_0042.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\photo.png", "photo.png"),
        (".hidden", "hidden"),
        ("..", "file"),
        ("a..b.txt", "a.b.txt"),
        ("line\nbreak.txt", "linebreak.txt"),
        ("я" * 300 + ".jpg", "я" * 98 + ".jpg"),
        ("CON.txt", "_CON.txt"),
        ("aux", "_aux"),
        ("report.pdf. ", "report.pdf"),
    ],
)
def test_a_file_name_stays_in_its_folder(sent_as, written):
    assert offline.safe_name(sent_as) == written


def test_files_sent_with_the_same_name_all_stay():
    taken = set()
    assert [offline.unique_name(name, taken) for name in ("a.jpg", "a.jpg", "A.jpg")] == [
        "a.jpg",
        "a (2).jpg",
        "A (3).jpg",
    ]


def test_the_tool_never_imports_django():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, solidarity.testimonies.offline; print('django' in sys.modules)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False"
