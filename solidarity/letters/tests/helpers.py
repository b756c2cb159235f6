import io

from pypdf import PdfReader


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, as a reader (or a screen reader, or a search) gets it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def page_sizes_mm(content: bytes) -> list[tuple[int, int]]:
    return [
        (round(float(page.mediabox.width) * 25.4 / 72), round(float(page.mediabox.height) * 25.4 / 72))
        for page in PdfReader(io.BytesIO(content)).pages
    ]


def image_bytes(kind: str = "PNG", exif: dict | None = None) -> bytes:
    """A small real image, as a phone or scanner makes it, with EXIF tags if given."""
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 180, 150))
    out = io.BytesIO()
    options = {}
    if exif:
        tags = Image.Exif()
        tags.update(exif)
        options["exif"] = tags
    image.save(out, format=kind, **options)
    return out.getvalue()


def lines_with_depth(content: bytes, page: int) -> list[tuple[str, float]]:
    """Each run of text on a page with its baseline's depth from the top edge, in millimetres."""
    reader = PdfReader(io.BytesIO(content))
    height = float(reader.pages[page].mediabox.height)
    runs = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            runs.append((text.strip(), round((height - (tm[5] * cm[3] + cm[5])) * 25.4 / 72, 1)))

    reader.pages[page].extract_text(visitor_text=visit)
    return runs
