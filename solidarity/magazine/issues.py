"""The monthly issue: every article published in a month, as an EPUB 3 and a PDF, for passing
around in messengers where the site is blocked. Each article is in the reader's language when it
is written in it, else in its own. Both are made from the published rows when asked for (and kept
whole by the page cache); a retracted article is in neither."""

import datetime
import io
import uuid
import zipfile
from html import escape
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from . import images, reading
from .models import Article
from .text import OUR_IMAGE, to_xhtml


def months() -> list[tuple[datetime.date, int]]:
    """The months with published articles, newest first, and how many each has."""
    counted: dict[datetime.date, int] = {}
    for published_at in reading.published().values_list("published_at", flat=True):
        first = timezone.localtime(published_at).date().replace(day=1)
        counted[first] = counted.get(first, 0) + 1
    return sorted(counted.items(), reverse=True)


def articles_of(first: datetime.date) -> list[tuple[Article, str]]:
    """The month's articles, oldest first, each with the language it is shown in."""
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(following, datetime.time(), tzinfo=zone)
    found = reading.listed(reading.published().filter(published_at__gte=start, published_at__lt=end))
    shown = []
    for article in reversed(list(found.prefetch_related("images"))):
        language = reading.shown_language(article)
        if language:
            shown.append((article, language))
    return shown


def title_of(first: datetime.date) -> str:
    return _("The magazine, %(month)s · %(site)s") % {
        "site": settings.SITE_NAME,
        "month": formats.date_format(first, "F Y"),
    }


def _byline(article: Article) -> str:
    names = ", ".join(author.name for author in article.authors.all())
    day = formats.date_format(timezone.localtime(article.published_at).date(), "j E Y")
    return f"{names} · {day}" if names else day


# --- EPUB 3 ------------------------------------------------------------------------------------

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""
STYLE = """body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1 { font-size: 1.6em; line-height: 1.2; }
.lead { font-weight: bold; }
.byline { color: #555; font-size: .9em; }
blockquote { margin: 1em 0 1em 1em; padding-left: 1em; border-left: 3px solid #999; font-style: italic; }
figure { margin: 1em 0; } img { max-width: 100%; } figcaption { font-size: .85em; color: #555; }
"""


def _xhtml(title: str, language: str, body: str) -> str:
    page = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'xml:lang="{language}" lang="{language}">\n'
        f'<head><meta charset="utf-8"/><title>{escape(title)}</title>'
        '<link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )
    # Well-formed, or we fail here rather than the reader (the XML is our own, from escaped text).
    ElementTree.fromstring(page.split("\n", 2)[2].encode())  # noqa: S314
    return page


def epub(first: datetime.date, language: str, base_url: str) -> bytes | None:
    shown = articles_of(first)
    if not shown:
        return None
    title = title_of(first)
    host = base_url.split("//", 1)[-1].rstrip("/")
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"{host}/magazine/{first:%Y-%m}/{language}")
    modified = max(article.updated_at for article, _language in shown).astimezone(datetime.UTC)
    chapters, pictures = [], []
    for article, shown_in in shown:
        pictures_here = _pictures(article)
        with translation.override(shown_in):
            byline = _byline(article)
        link = base_url.rstrip("/") + reading.card(article).url
        body = (
            f"<article>\n<h1>{escape(getattr(article, f'title_{shown_in}'))}</h1>\n"
            f'<p class="lead">{escape(getattr(article, f"lead_{shown_in}"))}</p>\n'
            f'<p class="byline">{escape(byline)}</p>\n'
            f"{to_xhtml(getattr(article, f'body_{shown_in}'), pictures_here)}\n"
            f'<p class="byline"><a href="{escape(link)}">{escape(link)}</a></p>\n</article>'
        )
        chapters.append(
            (f"article-{article.pk}.xhtml", getattr(article, f"title_{shown_in}"), shown_in, body)
        )
        pictures += pictures_here.values()
    contents = "\n".join(
        f'<li><a href="{name}" xml:lang="{lang}">{escape(heading)}</a></li>'
        for name, heading, lang, _body in chapters
    )
    nav = _xhtml(
        title,
        language,
        f'<nav epub:type="toc" id="toc"><h1>{escape(title)}</h1>\n<ol>\n{contents}\n</ol></nav>',
    )
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="style" href="style.css" media-type="text/css"/>',
    ]
    manifest += [
        f'<item id="c{number}" href="{name}" media-type="application/xhtml+xml"/>'
        for number, (name, *_rest) in enumerate(chapters)
    ]
    manifest += [
        f'<item id="i{image.pk}" href="images/{image.name}.jpg" media-type="image/jpeg"/>'
        for image in pictures
    ]
    spine = "".join(f'<itemref idref="c{number}"/>' for number in range(len(chapters)))
    package = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id" xml:lang="{language}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:{identifier}</dc:identifier>
    <dc:title>{escape(title)}</dc:title>
    <dc:language>{language}</dc:language>
    <dc:publisher>{escape(str(settings.SITE_NAME))}</dc:publisher>
    <dc:date>{first:%Y-%m}</dc:date>
    <meta property="dcterms:modified">{modified:%Y-%m-%dT%H:%M:%SZ}</meta>
  </metadata>
  <manifest>
    {chr(10).join(manifest)}
  </manifest>
  <spine><itemref idref="nav"/>{spine}</spine>
</package>
"""
    ElementTree.fromstring(package.encode())  # noqa: S314
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        # The mimetype comes first and uncompressed: that is how a reader knows the file.
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", CONTAINER)
        book.writestr("EPUB/package.opf", package)
        book.writestr("EPUB/nav.xhtml", nav)
        book.writestr("EPUB/style.css", STYLE)
        for name, heading, shown_in, body in chapters:
            book.writestr(f"EPUB/{name}", _xhtml(heading, shown_in, body))
        for image in pictures:
            book.write(_book_copy(image), f"EPUB/images/{image.name}.jpg")
    return out.getvalue()


def _book_copy(image) -> Path:
    """The middle width: sharp on a phone, light to pass around."""
    return images.folder() / f"{image.name}-{image.widths[min(1, len(image.widths) - 1)]}.jpg"


def _pictures(article: Article) -> dict:
    """The article's images whose copies are on disk (a picture lost from the media folder is
    left out of the issue, not the issue refused)."""
    return {image.pk: image for image in article.images.all() if image.widths and _book_copy(image).exists()}


# --- PDF ---------------------------------------------------------------------------------------

_BLOCKS = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _inline_text(token) -> str:
    """A paragraph's words; a link's address follows its text, since paper cannot be clicked."""
    parts, href = [], None
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" " if child.type == "softbreak" else "\n")
        elif child.type == "link_open":
            href = child.attrGet("href")
        elif child.type == "link_close" and href:
            if href != "".join(parts[-1:]):
                parts.append(f" ({href})")
            href = None
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts).strip()


def _write_body(pdf, markdown: str, pictures: dict) -> None:
    indent, bullet, numbers = 0, None, []
    for token in _BLOCKS.parse(markdown or ""):
        if token.type == "blockquote_open":
            indent += 8
        elif token.type == "blockquote_close":
            indent -= 8
        elif token.type == "bullet_list_open":
            numbers.append(None)
        elif token.type == "ordered_list_open":
            numbers.append(int(token.attrGet("start") or 1))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif token.type == "list_item_open":
            if numbers[-1] is None:
                bullet = "• "
            else:
                bullet, numbers[-1] = f"{numbers[-1]}. ", numbers[-1] + 1
        elif token.type == "heading_open":
            pdf.set_font("Sans", "B", 13)
        elif token.type == "heading_close":
            pdf.set_font("Serif", "", 11)
        elif token.type in ("fence", "code_block"):
            pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(0, 5, token.content.rstrip("\n"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif token.type == "inline":
            for child in token.children or []:
                ours = OUR_IMAGE.match(child.attrGet("src") or "") if child.type == "image" else None
                image = pictures.get(int(ours.group(1))) if ours else None
                if image is not None:
                    pdf.image(str(_book_copy(image)), w=min(170, pdf.epw - indent), x=pdf.l_margin + indent)
            text = _inline_text(token)
            if text:
                pdf.set_x(pdf.l_margin + indent + (4 if bullet else 0))
                pdf.multi_cell(0, 5.6, (bullet or "") + text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(1.5)
                bullet = None
        elif token.type == "hr":
            pdf.ln(3)


def pdf(first: datetime.date, language: str, base_url: str) -> bytes | None:
    from solidarity.letters.pdf import blank_document  # fpdf and its fonts: loaded by the first PDF

    shown = articles_of(first)
    if not shown:
        return None
    title = title_of(first)
    document = blank_document(first)
    document.set_title(title)
    document.set_lang(language)
    document.set_margins(20, 18, 20)
    document.add_page()
    document.set_font("Sans", "B", 20)
    document.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    document.ln(4)
    document.set_font("Sans", "", 11)
    for article, shown_in in shown:
        document.multi_cell(0, 6, "— " + getattr(article, f"title_{shown_in}"), new_x="LMARGIN", new_y="NEXT")
    document.ln(4)
    document.set_font("Sans", "", 9)
    document.multi_cell(
        0, 5, base_url.rstrip("/") + "/" + language + "/magazine/", new_x="LMARGIN", new_y="NEXT"
    )
    for article, shown_in in shown:
        heading = getattr(article, f"title_{shown_in}")
        document.add_page()
        document.start_section(heading)
        document.set_font("Sans", "B", 17)
        document.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        document.set_font("Sans", "", 9)
        with translation.override(shown_in):
            document.multi_cell(0, 5, _byline(article), new_x="LMARGIN", new_y="NEXT")
        document.ln(3)
        document.set_font("Sans", "B", 11)
        document.multi_cell(0, 5.6, getattr(article, f"lead_{shown_in}"), new_x="LMARGIN", new_y="NEXT")
        document.ln(3)
        document.set_font("Serif", "", 11)
        pictures = _pictures(article)
        _write_body(document, getattr(article, f"body_{shown_in}"), pictures)
        document.set_font("Sans", "", 9)
        document.multi_cell(
            0, 5, base_url.rstrip("/") + reading.card(article).url, new_x="LMARGIN", new_y="NEXT"
        )
    return bytes(document.output())
