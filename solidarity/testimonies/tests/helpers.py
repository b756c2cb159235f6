"""A legal team's key pair for tests, and submissions made as a witness's browser makes them."""

import io
import secrets

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from solidarity.core import guard
from solidarity.testimonies import uploads

MARKER = "MARKER-" + "b7Qx9" * 4  # what must never be found on the server in the clear


def guard_answer() -> dict:
    token = signing.dumps({"answer": 7, "nonce": secrets.token_hex(8)}, salt=guard.QUESTION_SALT)
    return {"answer": "7", "question_token": token}


def witness_form(**fields) -> dict:
    return {
        "what_happened": f"They beat us in the corridor. {MARKER}",
        "when": "March 2021",
        "place": "Okrestina",
        "who_acted": "",
        "witnesses": "",
        "injuries": "",
        "wishes": "",
        "consent_legal_team": "on",
        "consent_court": "on",
        **guard_answer(),
        **fields,
    }


def photo_with_gps() -> bytes:
    picture = Image.new("RGB", (640, 480), (120, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (53.0, 54.0, 0.0), 3: "E", 4: (27.0, 33.0, 0.0)}
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def random_file(size: int = 300_000) -> bytes:
    return MARKER.encode() + secrets.token_bytes(size)


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def ticketed(address: str) -> str:
    """A form's address as its page hands it out: with an upload ticket its files may use once."""
    return f"{address}{'&' if '?' in address else '?'}ticket={uploads.new_ticket()}"


def sealed_bytes(sealed_file) -> bytes:
    """A sealed file's ciphertext as the database holds it, its rows joined in order."""
    return b"".join(
        bytes(data) for data in sealed_file.chunks.order_by("number").values_list("data", flat=True)
    )
