"""The legal team's offline tool, for a machine that never goes online: `keygen` makes the key pair
whose public half the site seals testimonies to, and `open` turns an export bundle into a folder per
testimony (the answers as JSON and PDF, each file as it was sent, a working copy without its
metadata, and a manifest of what was checked).

It runs without Django or a database, so that the private key never has to sit on a machine with
the site's code and settings: it imports nothing of the project but `sealing`, and only the
standard library, PyNaCl and, if they are installed, fpdf2, Pillow, pikepdf and the `mat2` program.

    python -m solidarity.testimonies.offline keygen ~/keys
    python -m solidarity.testimonies.offline open export.zip --key ~/keys/private.key --out ~/cases
"""

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

from nacl.public import PrivateKey

from solidarity.testimonies import sealing

try:
    from fpdf import FPDF
except ImportError:
    FPDF = None
try:
    from PIL import Image, UnidentifiedImageError
except ImportError:
    Image = None
try:
    import pikepdf
except ImportError:
    pikepdf = None

FORMAT = "solidarity-testimonies/1"
FONT = Path(__file__).resolve().parents[1] / "letters" / "data" / "fonts" / "DejaVuSans.ttf"
READ = 1024 * 1024  # how much of a sealed file is read from the zip at a time
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")  # it names a folder: nothing else may pass
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_NAME_BYTES = 200  # under the 255 bytes most file systems allow, with room for " (2)"
# Whatever breaks in one part or file of a bundle: a seal that does not open (`sealing.Broken` is a
# ValueError, as are bad base64 and JSON), a field missing or of the wrong type, a zip member that
# is missing or fails its CRC.
DAMAGED = (ValueError, KeyError, TypeError, zipfile.BadZipFile, OSError)
# Names Windows will not open as files, whatever their extension: a folder copied there must open.
RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{n}" for n in range(1, 10)),
    *(f"lpt{n}" for n in range(1, 10)),
}

FAILED, WRITTEN, REFUSED = 1, 0, 2


class Refused(Exception):
    """The bundle or key cannot be opened at all; nothing has been written. The message says why."""


# --- keygen ------------------------------------------------------------------------------------


def keygen(folder: Path) -> None:
    """Writes the key pair into `folder`. The private key is created, never replaced: overwriting
    it would lose every testimony sealed to it."""
    folder.mkdir(parents=True, exist_ok=True)
    public, private = sealing.new_key_pair()
    private_path, public_path = folder / "private.key", folder / "public.key"
    try:
        descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise Refused(f"{private_path} already exists: it is not replaced. Choose another folder.") from error
    with os.fdopen(descriptor, "w") as file:
        file.write(private + "\n")
    public_path.write_text(public + "\n")
    print(f"Public key: {public_path}")
    print("  Give it to the site's operators, as the setting TESTIMONY_PUBLIC_KEY:")
    print(f"  {public}")
    print(f"Private key: {private_path}")
    print("  Keep it on this offline machine, with a copy on paper or a USB stick in a safe place.")
    print("  Whoever has it can read every testimony; without it, nobody can, not even you.")


# --- open: checking the bundle -----------------------------------------------------------------


def read_private_key(path: Path) -> PrivateKey:
    try:
        return sealing.private_key(path.read_text())
    except (OSError, ValueError) as error:
        raise Refused(f"{path} cannot be read as the private key: {error}") from error


def escapes(name: str) -> bool:
    """Whether a path inside the zip could point outside it, once written out by a careless tool."""
    path = PurePosixPath(name)
    return "\\" in name or path.is_absolute() or ".." in path.parts or ":" in name


def read_bundle(archive: zipfile.ZipFile) -> dict:
    """bundle.json, once the whole zip is known to be ours and safe to read."""
    escaping = [name for name in archive.namelist() if escapes(name)]
    if escaping:
        raise Refused(f"The bundle has a path that leads outside it ({escaping[0]!r}): refused.")
    try:
        bundle = json.loads(archive.read("bundle.json"))
    except KeyError as error:
        raise Refused("The zip has no bundle.json: it is not an export bundle.") from error
    except (ValueError, zipfile.BadZipFile) as error:
        raise Refused(f"bundle.json cannot be read: {error}") from error
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        found = bundle.get("format") if isinstance(bundle, dict) else None
        raise Refused(f"The bundle's format is {found!r}; this tool opens {FORMAT!r} only.")
    testimonies = bundle.get("testimonies")
    if not isinstance(testimonies, list) or not all(isinstance(entry, dict) for entry in testimonies):
        raise Refused("bundle.json has no list of testimonies.")
    references = [entry.get("reference") for entry in testimonies]
    for reference in references:
        if not isinstance(reference, str) or not REFERENCE.match(reference):
            raise Refused(f"A testimony's reference {reference!r} cannot name a folder: refused.")
    if len(set(references)) < len(references):
        raise Refused("Two testimonies in the bundle have the same reference.")
    for entry in testimonies:
        for field in ("parts", "files"):
            items = entry.setdefault(field, [])
            if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
                raise Refused(f"{entry['reference']}: its {field} are not a list of objects.")
        if any(escapes(str(item.get("path", ""))) for item in entry["files"]):
            raise Refused(f"{entry['reference']}: a file's path leads outside the bundle: refused.")
    return bundle


def sealed_pieces(bundle: dict):
    """Every small sealed box in the bundle, as the base64 text it is stored as."""
    for entry in bundle["testimonies"]:
        for part in entry["parts"]:
            yield part.get("sealed")
        for item in entry["files"]:
            yield item.get("sealed_key")
            yield item.get("sealed_meta")


def key_fits(bundle: dict, private: PrivateKey) -> bool:
    """A wrong key opens nothing, where a damaged bundle still opens most of its parts: the one is
    refused before anything is written, the other is opened as far as it goes."""
    tried = False
    for piece in sealed_pieces(bundle):
        try:
            unsealed(piece, private)
            return True
        except DAMAGED:
            tried = True
    return not tried


# --- open: one testimony -----------------------------------------------------------------------


def unsealed(text: str, private: PrivateKey) -> bytes:
    return sealing.unseal(base64.b64decode(text, validate=True), private)


def unsealed_object(text: str, private: PrivateKey) -> dict:
    content = json.loads(unsealed(text, private))
    if not isinstance(content, dict):
        raise ValueError("what it seals is not a JSON object")
    return content


def open_part(part: dict, private: PrivateKey) -> dict:
    content = unsealed_object(part["sealed"], private)
    if not isinstance(content.get("answers"), dict):
        raise ValueError("the opened part holds no answers")
    return {
        "kind": part.get("kind"),
        "added_on": part.get("added_on"),
        "language": content.get("language"),
        "answers": content["answers"],
    }


def safe_name(name: str) -> str:
    """A witness's file name as a name in one folder: its last component, printable, with no run of
    dots and no leading dot (nothing hidden, nothing climbing out), short enough for any disk."""
    name = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable() and char not in '<>:"|?*')
    name = re.sub(r"\.{2,}", ".", name).strip().lstrip(".").rstrip(". ").strip()
    stem, suffix = os.path.splitext(name)
    if stem.lower() in RESERVED:
        stem = f"_{stem}"
    suffix = suffix[:16]
    while stem and len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem + suffix) if stem else "file" + suffix


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `(3)`...: two files sent with the same name both stay. Compared without
    case, as macOS and Windows disks do."""
    stem, suffix = os.path.splitext(name)
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem} ({number}){suffix}"
    taken.add(candidate.casefold())
    return candidate


def write_original(archive: zipfile.ZipFile, member: str, key: bytes, target: Path) -> tuple[str, int]:
    """Decrypts a sealed file from the zip to `target`, a chunk at a time however large it is;
    returns the SHA-256 and size of what was written. A file that does not open to its end is
    removed: only complete originals are kept."""
    digest, size = hashlib.sha256(), 0
    with target.open("xb") as out:
        try:
            with archive.open(member) as source:
                for plain in sealing.open_file(iter(lambda: source.read(READ), b""), key):
                    digest.update(plain)
                    size += len(plain)
                    out.write(plain)
        except BaseException:
            out.close()
            target.unlink()
            raise
    return digest.hexdigest(), size


def open_file_entry(archive, item: dict, private: PrivateKey, folder: Path, taken: set[str]) -> dict:
    """One of the witness's files: its original, checked against the hash sealed on arrival, and a
    working copy. A hash that differs is recorded in the entry's `error`."""
    meta = unsealed_object(item["sealed_meta"], private)
    key = unsealed(item["sealed_key"], private)
    name = unique_name(safe_name(meta.get("name") or "file"), taken)
    original = folder / "originals" / name
    original.parent.mkdir(exist_ok=True)
    sha256, size = write_original(archive, item["path"], key, original)
    entry = {
        "name": name,
        "sent_as": meta.get("name"),
        "added_on": item.get("added_on"),
        "content_type": meta.get("content_type"),
        "size": size,
        "sha256": sha256,
        "hash_matches": sha256 == meta.get("sha256"),
        "metadata_removed_on_site": meta.get("metadata_removed"),
        "original": f"originals/{name}",
    }
    if not entry["hash_matches"]:
        entry["error"] = f"its SHA-256 is {sha256}, not {meta.get('sha256')} as sealed on arrival"
    cleaned_by, reason = working_copy(original, folder / "working" / name)
    entry.update(working_copy=f"working/{name}" if cleaned_by else None, cleaned_by=cleaned_by)
    if reason:
        entry["no_working_copy_because"] = reason
    return entry


# --- open: working copies without metadata -----------------------------------------------------


def working_copy(original: Path, target: Path) -> tuple[str | None, str | None]:
    """A copy of `original` at `target` without its metadata (the phone's make, the place, the
    author), made by the first cleaner that takes it: (the cleaner, None), or (None, why not). The
    original itself is never touched: it is the evidence."""
    target.parent.mkdir(exist_ok=True)
    reasons = []
    for name, cleaner in CLEANERS.items():
        reason = cleaner(original, target)
        if reason is None:
            return name, None
        target.unlink(missing_ok=True)
        reasons.append(reason)
    return None, "; ".join(reasons)


def clean_with_mat2(original: Path, target: Path) -> str | None:
    """mat2 knows most formats (images, video, audio, office documents); it is tried first."""
    program = shutil.which("mat2")
    if program is None:
        return "mat2 is not installed"
    shutil.copyfile(original, target)
    done = subprocess.run(  # noqa: S603 (our own file's path, never through a shell)
        [program, "--inplace", str(target.resolve())], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return f"mat2 cannot clean it ({(done.stderr or done.stdout).strip()[:200]})"
    return None


def clean_with_pillow(original: Path, target: Path) -> str | None:
    """The pixels only, redrawn into a new image, upright (the orientation tag goes with the rest of
    EXIF), saved with no EXIF, XMP, ICC profile or comment."""
    if Image is None:
        return "Pillow is not installed"
    from solidarity.core.pictures import on_white, pixels_only  # Pillow only, no Django

    try:
        with Image.open(original) as picture:
            if picture.format not in IMAGE_FORMATS:
                return "not a JPEG, PNG or WebP image"
            if getattr(picture, "n_frames", 1) > 1:
                return "an animated image, of which Pillow would keep one frame"
            kind = picture.format
            clean = pixels_only(picture)
            if kind == "JPEG":
                clean = on_white(clean)
        clean.save(target, format=kind, **({"quality": 95} if kind in ("JPEG", "WEBP") else {}))
    except UnidentifiedImageError:
        return "not a JPEG, PNG or WebP image"
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        return f"Pillow cannot redraw it ({error})"
    return None


def clean_with_pikepdf(original: Path, target: Path) -> str | None:
    """The same pages without the document information (author, program, dates) or XMP."""
    if pikepdf is None:
        return "pikepdf is not installed"
    with original.open("rb") as file:
        if b"%PDF-" not in file.read(1024):
            return "not a PDF"
    try:
        with pikepdf.open(original) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer.Info
            if "/Metadata" in pdf.Root:
                del pdf.Root.Metadata
            pdf.save(target)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError) as error:
        return f"pikepdf cannot clean it ({error})"
    return None


CLEANERS = {"mat2": clean_with_mat2, "pillow": clean_with_pillow, "pikepdf": clean_with_pikepdf}


# --- open: the answers as a PDF ----------------------------------------------------------------


def consent_line(consent: dict) -> str:
    said = {True: "yes", False: "no"}
    return "Consent: " + ", ".join(
        f"{who.replace('_', ' ')} {said.get(value, value)}" for who, value in (consent or {}).items()
    )


def printable(text) -> str:
    """fpdf2 drops tabs and prints carriage returns as nothing useful: spaces and plain line ends."""
    if not isinstance(text, str):
        text = json.dumps(text, ensure_ascii=False)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")


def write_pdf(path: Path, testimony: dict, parts: list[dict]) -> str | None:
    """The answers to read and print, in Unicode (Cyrillic too) with the DejaVu font the letters
    app ships. Returns why not, or a note on characters left out, or None."""
    if FPDF is None:
        return "fpdf2 is not installed: no answers.pdf (answers.json has everything)"
    if not FONT.exists():
        return f"the font {FONT} is missing: no answers.pdf (answers.json has everything)"
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.add_page()

    def paragraph(text, size: float, gap: float = 1) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(0, size * 0.5, printable(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    paragraph(f"Testimony {testimony['reference']}", 16, 2)
    paragraph(f"Received on {testimony.get('received_on')}", 10)
    paragraph(consent_line(testimony.get("consent")), 10)
    if testimony.get("withdrawn_on"):
        paragraph(f"Withdrawn by the witness on {testimony['withdrawn_on']}", 10)
    for part in parts:
        pdf.ln(4)
        if "error" in part:
            paragraph(f"{part['kind']} of {part['added_on']}: {part['error']}", 12, 2)
            continue
        title = "Answers" if part["kind"] == "answers" else "Addition"
        paragraph(f"{title} of {part['added_on']} ({part['language']})", 13, 2)
        for question, answer in part["answers"].items():
            paragraph(question.replace("_", " ").capitalize(), 9)
            paragraph(answer, 11, 3)
    pdf.output(str(path))
    missing = pdf.current_font.missing_glyphs
    if missing:
        return (
            f"answers.pdf leaves out {len(missing)} kinds of character its font lacks (emoji, for instance);"
            " answers.json has them all"
        )
    return None


def open_testimony(archive, testimony: dict, private: PrivateKey, folder: Path) -> dict:
    """Writes one testimony's folder and returns its manifest. What does not open is recorded in
    the manifest's `errors` and the rest is still written."""
    folder.mkdir(parents=True)
    errors, parts = [], []
    for number, part in enumerate(testimony["parts"], start=1):
        try:
            parts.append(open_part(part, private))
        except DAMAGED as error:
            parts.append({"kind": part.get("kind"), "added_on": part.get("added_on"), "error": str(error)})
            errors.append(f"part {number} ({part.get('kind')} of {part.get('added_on')}): {error}")
    (folder / "answers.json").write_text(json.dumps(parts, ensure_ascii=False, indent=2) + "\n")
    pdf_note = write_pdf(folder / "answers.pdf", testimony, parts)
    files, taken = [], set()
    for number, item in enumerate(testimony["files"], start=1):
        try:
            entry = open_file_entry(archive, item, private, folder, taken)
        except DAMAGED as error:
            errors.append(f"file {number} (added on {item.get('added_on')}): {error}; nothing written")
            continue
        files.append(entry)
        if "error" in entry:
            errors.append(f"file {number} ({entry['name']}): {entry['error']}")
    manifest = {
        "reference": testimony["reference"],
        "received_on": testimony.get("received_on"),
        "consent": testimony.get("consent"),
        "withdrawn_on": testimony.get("withdrawn_on"),
        "custody": testimony.get("custody"),
        "answers": "answers.json",
        "answers_pdf": "answers.pdf" if (folder / "answers.pdf").exists() else None,
        "answers_pdf_note": pdf_note,
        "files": files,
        "errors": errors,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def open_bundle(bundle_path: Path, key_path: Path, out: Path) -> int:
    """Opens every testimony of the bundle into `out`/<reference>/. Refuses (nothing written) a
    bundle that is not ours, unsafe, or sealed to another key, or a testimony already opened there."""
    private = read_private_key(key_path)
    try:
        archive = zipfile.ZipFile(bundle_path)
    except (OSError, zipfile.BadZipFile) as error:
        raise Refused(f"{bundle_path} cannot be opened as a zip: {error}") from error
    with archive:
        bundle = read_bundle(archive)
        if not key_fits(bundle, private):
            raise Refused(
                f"Nothing in this bundle opens with {key_path}: it is not the private key the site seals"
                " to (check that it is private.key, and from the right keygen)."
            )
        testimonies = bundle["testimonies"]
        already = [entry["reference"] for entry in testimonies if (out / entry["reference"]).exists()]
        if already:
            raise Refused(f"{out / already[0]} already exists: open the bundle into another folder.")
        manifests = [
            open_testimony(archive, entry, private, out / entry["reference"]) for entry in testimonies
        ]
    originals = sum(len(manifest["files"]) for manifest in manifests)
    working = sum(1 for manifest in manifests for file in manifest["files"] if file["working_copy"])
    errors = [(manifest["reference"], error) for manifest in manifests for error in manifest["errors"]]
    print(
        f"Into {out}: testimonies opened {len(manifests)}, files written {originals}"
        f" (working copies without metadata {working}), errors {len(errors)}."
    )
    for manifest in manifests:
        if manifest["withdrawn_on"]:
            print(f"  {manifest['reference']}: withdrawn by the witness on {manifest['withdrawn_on']}.")
    for reference, error in errors:
        print(f"  {reference}: {error}")
    return FAILED if errors else WRITTEN


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m solidarity.testimonies.offline",
        description="The legal team's offline tool for sealed testimonies.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("keygen", help="make the key pair: public.key and private.key in FOLDER")
    make.add_argument("folder", type=Path)
    opener = commands.add_parser("open", help="decrypt an export bundle into a folder per testimony")
    opener.add_argument("bundle", type=Path)
    opener.add_argument("--key", type=Path, required=True, help="the private.key file")
    opener.add_argument("--out", type=Path, required=True, help="the folder to write the testimonies into")
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "keygen":
            keygen(arguments.folder)
            return WRITTEN
        return open_bundle(arguments.bundle, arguments.key, arguments.out)
    except Refused as refusal:
        print(f"Refused: {refusal}", file=sys.stderr)
        return REFUSED


if __name__ == "__main__":
    sys.exit(main())
