"""An editor's upload becomes our own copies: the pixels only, upright, with any areas the editor
marked pixelated beyond recognition, in a few widths for `srcset`. Nothing of the uploaded file
is kept: not its EXIF (location, camera, time), XMP, IPTC, ICC profile or comments, and not the
file itself, so a face blurred on upload cannot be recovered from us."""

import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image as Pillow
from PIL import ImageFilter, UnidentifiedImageError

from solidarity.core import pictures

WIDTHS = (480, 960, 1600)
ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a decompression bomb is refused before it is decoded
QUALITY = 82
AREA = re.compile(
    r"^\s*(\d+(?:\.\d+)?)[\s,;]+(\d+(?:\.\d+)?)[\s,;]+(\d+(?:\.\d+)?)[\s,;]+(\d+(?:\.\d+)?)\s*$"
)


class Refused(ValueError):
    """The upload is not an image we can take; the message says why."""


@dataclass(frozen=True)
class Stored:
    name: str
    widths: list[int]
    width: int
    height: int


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "magazine"


def parse_areas(text: str) -> list[tuple[float, float, float, float]]:
    """Areas to blur, one per line: left, top, width and height in percent of the picture."""
    areas = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = AREA.match(line)
        if not match:
            raise Refused(
                _("Line %(line)s: four numbers, left top width height, in percent.") % {"line": number}
            )
        left, top, width, height = (float(value) for value in match.groups())
        if not (0 <= left < 100 and 0 <= top < 100 and 0 < width <= 100 and 0 < height <= 100):
            raise Refused(_("Line %(line)s: each number from 0 to 100.") % {"line": number})
        areas.append((left, top, min(width, 100 - left), min(height, 100 - top)))
    return areas


def _pixelated(picture: Pillow.Image, areas) -> Pillow.Image:
    """Each area as eight blocks by eight, then smoothed: no face survives it."""
    for left, top, width, height in areas:
        x, y = int(picture.width * left / 100), int(picture.height * top / 100)
        box = (  # at least a pixel each way, however small the area
            min(x, picture.width - 1),
            min(y, picture.height - 1),
            max(x + 1, round(picture.width * (left + width) / 100)),
            max(y + 1, round(picture.height * (top + height) / 100)),
        )
        region = picture.crop(box)
        blocks = (max(1, min(8, region.width)), max(1, min(8, region.height)))
        coarse = region.resize(blocks, Pillow.Resampling.BOX).resize(region.size, Pillow.Resampling.NEAREST)
        picture.paste(coarse.filter(ImageFilter.GaussianBlur(max(region.size) / 16)), box)
    return picture


def _decoded(upload) -> Pillow.Image:
    if upload.size > MAX_BYTES:
        raise Refused(
            _("The image is larger than %(megabytes)s MB.") % {"megabytes": MAX_BYTES // 1024 // 1024}
        )
    data = upload.read()
    try:
        with Pillow.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED:
                raise Refused(_("Only JPEG, PNG, WebP and GIF images can be uploaded."))
            if probe.width * probe.height > MAX_PIXELS:
                raise Refused(_("The image has too many pixels."))
            probe.verify()
        picture = Pillow.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Pillow.DecompressionBombError) as error:
        raise Refused(_("This file is not an image that can be read.")) from error
    return pictures.on_white(pictures.pixels_only(picture))


def prepare(upload, blur: str = "") -> Pillow.Image:
    """The upload decoded to its pixels, upright, with the areas blurred; or `Refused`."""
    areas = parse_areas(blur)
    return _pixelated(_decoded(upload), areas)


def store(upload, blur: str = "") -> Stored:
    return save(prepare(upload, blur))


def save(picture: Pillow.Image) -> Stored:
    """Our copies of a prepared picture, in every width up to its own (at least one)."""
    name = secrets.token_hex(10)
    widths = [w for w in WIDTHS if w < picture.width] + [min(picture.width, WIDTHS[-1])]
    folder().mkdir(parents=True, exist_ok=True)
    height = picture.height
    for width in sorted(set(widths)):
        copy = (
            picture
            if width == picture.width
            else picture.resize(
                (width, max(1, round(picture.height * width / picture.width))), Pillow.Resampling.LANCZOS
            )
        )
        copy.save(
            folder() / f"{name}-{width}.jpg", format="JPEG", quality=QUALITY, optimize=True, progressive=True
        )
        height = copy.height
    widths = sorted(set(widths))
    return Stored(name=name, widths=widths, width=widths[-1], height=height)


def delete(name: str, widths: list[int]) -> None:
    for width in widths:
        (folder() / f"{name}-{width}.jpg").unlink(missing_ok=True)


def delete_with_row(sender, instance, **kwargs) -> None:
    """An image's copies go with its row (or its article's), once that is committed: a picture
    taken down must not stay at its address under /media/."""
    name, widths = instance.name, list(instance.widths)
    if name:
        transaction.on_commit(lambda: delete(name, widths))
