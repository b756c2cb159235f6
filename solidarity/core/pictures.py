"""A picture drawn again from its pixels alone, for every app that keeps a picture someone sent:
upright (its EXIF orientation applied), with nothing else of the file — no EXIF (location,
camera, time), XMP, ICC profile or comments."""

from PIL import Image, ImageOps


def pixels_only(picture: Image.Image) -> Image.Image:
    """A new RGB image, or RGBA when the picture has transparency, holding only its pixels."""
    upright = ImageOps.exif_transpose(picture)
    transparent = "A" in upright.getbands() or (upright.mode == "P" and "transparency" in upright.info)
    mode = "RGBA" if transparent else "RGB"
    clean = Image.new(mode, upright.size)
    clean.paste(upright.convert(mode))
    return clean


def on_white(picture: Image.Image) -> Image.Image:
    """An RGB picture, transparency laid on white (for JPEG, which has none)."""
    if picture.mode != "RGBA":
        return picture.convert("RGB")
    flat = Image.new("RGB", picture.size, "white")
    flat.paste(picture, mask=picture.getchannel("A"))
    return flat
