"""An article's Markdown as HTML: CommonMark (markdown-it-py) with raw HTML off, then sanitised
once more by an allow-list (nh3). Our images are written `![](image:12)` and come out as a
`<figure>` with our copies in `srcset`; a picture or a frame from another host is never loaded,
it becomes a plain link. The same text renders as well-formed XHTML for the EPUB."""

import html
import re

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

OUR_IMAGE = re.compile(r"^image:(\d+)$")
# An embed pasted from a video site: a frame, a video, an object. Kept as a link to its address.
EMBED = re.compile(
    r"<(?:iframe|video|embed|object|source)\b[^>]*?\b(?:src|data)\s*=\s*[\"']?([^\"'\s>]+)[^>]*>(?:\s*</(?:iframe|video|object)>)?",
    re.IGNORECASE,
)
TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "s",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
SIZES = "(max-width: 44rem) 100vw, 42rem"


def _parser(*, xhtml: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "xhtmlOut": xhtml, "typographer": False})
    parser.enable(["table", "strikethrough"])
    # Headings start at h2 (# and ## alike): the page's h1 is the article's title.
    parser.add_render_rule("heading_open", _heading_open)
    parser.add_render_rule("heading_close", _heading_close)
    parser.add_render_rule("image", _image)
    return parser


def _level(token) -> str:
    return f"h{min(4, max(2, int(token.tag[1])))}"


def _heading_open(self, tokens, idx, options, env):
    return f"<{_level(tokens[idx])}>"


def _heading_close(self, tokens, idx, options, env):
    return f"</{_level(tokens[idx])}>\n"


def _image(self, tokens, idx, options, env):
    token = tokens[idx]
    source = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    found = OUR_IMAGE.match(source)
    image = env.get("images", {}).get(int(found.group(1))) if found else None
    if image is None:
        if found:
            return ""  # an image that was removed
        label = _("Picture: %(what)s") % {"what": alt or source}
        return f'<a href="{html.escape(source)}">{html.escape(label)}</a>'
    return env["figure"](image, alt)


def _figure_html(image, alt: str, *, xhtml: bool = False) -> str:
    described = html.escape(image.alt or alt, quote=True)
    if xhtml:
        # The EPUB carries its middle width, named as it is inside the book, and inline: in a
        # list item, a heading or a link a figure would not be well-formed XHTML.
        return f'<img src="images/{image.name}.jpg" alt="{described}" />'
    srcset = ", ".join(f"{image.url(width)} {width}w" for width in image.widths)
    middle = image.widths[min(1, len(image.widths) - 1)]
    tag = (
        f'<img src="{image.url(middle)}" srcset="{srcset}" sizes="{SIZES}" alt="{described}" '
        f'width="{image.width}" height="{image.height}" loading="lazy">'
    )
    caption = " · ".join(html.escape(part) for part in (image.caption, image.credit) if part)
    caption = f"<figcaption>{caption}</figcaption>" if caption else ""
    # A figure cannot sit inside the paragraph markdown-it opened: close it and open another
    # (inside a list item or a heading nh3 mends the nesting).
    return f"</p><figure>{tag}{caption}</figure><p>"


_WEB = _parser(xhtml=False)
_BOOK = _parser(xhtml=True)


# Characters XML 1.0 forbids (controls other than tab and newlines): they mean nothing in a text.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _source(markdown: str) -> str:
    markdown = CONTROLS.sub("", markdown or "")
    return EMBED.sub(lambda found: f"\n\n[{found.group(1)}]({found.group(1)})\n\n", markdown)


def _book_link(self, tokens, idx, options, env):
    """In the book only links that leave it for the web or mail: a relative one points nowhere."""
    token = tokens[idx]
    if not re.match(r"(?i)^(https?:|mailto:)", token.attrGet("href") or ""):
        token.attrs.pop("href", None)
    return self.renderToken(tokens, idx, options, env)


_BOOK.add_render_rule("link_open", _book_link)


def _without_empty_paragraphs(rendered: str) -> str:
    return re.sub(r"<p>\s*</p>", "", rendered)


def to_html(markdown: str, images: dict | None = None) -> str:
    """Safe HTML for a page."""
    env = {"images": images or {}, "figure": lambda image, alt: _figure_html(image, alt)}
    rendered = _without_empty_paragraphs(_WEB.render(_source(markdown), env))
    return nh3.clean(
        rendered,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def to_xhtml(markdown: str, images: dict | None = None) -> str:
    """The same text as well-formed XHTML for an EPUB: raw HTML is off, so markdown-it's output
    holds only its own tags, and links other than http(s) and mail lose their address."""
    env = {"images": images or {}, "figure": lambda image, alt: _figure_html(image, alt, xhtml=True)}
    return _without_empty_paragraphs(_BOOK.render(_source(markdown), env))


def plain(markdown: str) -> str:
    """The text without its markup, for a PDF's paragraphs and a search's words."""
    return nh3.clean(to_html(markdown), tags=set()).strip()
