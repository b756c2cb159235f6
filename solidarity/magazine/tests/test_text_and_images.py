"""What editors write and upload, made safe: Markdown rendered inert (no script, no javascript:
link, no frame or picture from another host), and photos re-encoded with nothing of the camera's
left in them, faces blurred on upload beyond recovery."""

import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow
from PIL import ImageStat

from solidarity.magazine import images
from solidarity.magazine.models import Image
from solidarity.magazine.text import plain, to_html, to_xhtml

from .helpers import article, photo_with_metadata

pytestmark = pytest.mark.django_db

HOSTILE = """# A title

Hello <script>alert(1)</script> world.

[a link](javascript:alert(1)) and [another](JaVaScRiPt:alert(2))
and [data](data:text/html;base64,PHNjcmlwdD4=)

<img src=x onerror=alert(1)>

![a picture from elsewhere](https://tracker.example/pixel.gif)

<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560"></iframe>

[fine](https://example.org/page) <a href="https://evil.example" onclick="steal()">raw</a>
"""


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


def test_markdown_with_scripts_and_javascript_links_is_rendered_inert():
    rendered = to_html(HOSTILE)
    found = elements(rendered)
    assert {tag for tag, _attrs in found} == {"h2", "p", "a"}  # no script, img, iframe: nothing loads
    assert not [name for _tag, attrs in found for name in attrs if name.startswith("on")]
    links = [attrs["href"] for tag, attrs in found if tag == "a"]
    assert links == [
        "https://tracker.example/pixel.gif",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://example.org/page",
    ]
    assert '<a href="https://www.youtube.com/embed/dQw4w9WgXcQ" rel="noopener noreferrer">' in rendered
    picture = "Picture: a picture from elsewhere"
    assert f'<a href="https://tracker.example/pixel.gif" rel="noopener noreferrer">{picture}</a>' in rendered
    assert '<a href="https://example.org/page" rel="noopener noreferrer">fine</a>' in rendered
    assert "&lt;script&gt;" in rendered  # shown as text, not run
    assert "<h2>A title</h2>" in rendered  # the page's h1 is the article's title


def test_the_book_text_is_well_formed_xhtml_with_nothing_active():
    from xml.etree import ElementTree

    rendered = to_xhtml(HOSTILE + "\n\nLine<br>break  \nhard")
    tree = ElementTree.fromstring(f"<div>{rendered}</div>")  # noqa: S314 (our own output)
    assert {node.tag for node in tree.iter()} == {"div", "h2", "p", "a", "br"}
    assert [node.get("href") for node in tree.iter("a")] == [
        "https://tracker.example/pixel.gif",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://example.org/page",
    ]
    assert not [name for node in tree.iter() for name in node.attrib if name.startswith("on")]


def test_our_images_become_figures_with_every_width_in_srcset(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    item = article()
    stored = images.store(photo_with_metadata())
    image = Image.objects.create(
        article=item,
        alt_en="A courtroom, empty",
        caption_en="The hall",
        credit="A. P.",
        name=stored.name,
        widths=stored.widths,
        width=stored.width,
        height=stored.height,
    )
    rendered = to_html(f"Before.\n\n![]({image})\n\nAfter. ![](image:999)", {image.pk: image})
    assert "<figure><img" in rendered and "<figcaption>The hall · A. P.</figcaption>" in rendered
    for width in (480, 960):
        assert f"/media/magazine/{stored.name}-{width}.jpg {width}w" in rendered
    assert 'alt="A courtroom, empty"' in rendered and 'loading="lazy"' in rendered
    assert "image:999" not in rendered  # a picture that was removed leaves nothing
    assert "<p></p>" not in rendered


def read_back(path) -> Pillow.Image:
    picture = Pillow.open(path)
    picture.load()
    return picture


def test_an_uploaded_photo_keeps_no_gps_camera_or_comment(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    upload = photo_with_metadata(size=(2000, 1200))
    with Pillow.open(io.BytesIO(upload.read())) as original:  # the test's photo does carry them
        assert original.getexif()[0x010F] == "PhoneMaker" and 0x8825 in original.getexif()
    upload.seek(0)
    stored = images.store(upload)
    assert stored.widths == [480, 960, 1200]  # up to its own width, upright: 1200 wide now
    for width in stored.widths:
        copy = read_back(tmp_path / "magazine" / f"{stored.name}-{width}.jpg")
        assert copy.format == "JPEG" and copy.width == width
        assert dict(copy.getexif()) == {}
        assert not {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(copy.info)
        assert copy.height > copy.width  # the orientation tag was applied, then dropped
    assert b"PhoneMaker" not in (tmp_path / "magazine" / f"{stored.name}-1200.jpg").read_bytes()
    assert list((tmp_path / "magazine").iterdir()) and not any(
        "IMG_0042" in path.name for path in (tmp_path / "magazine").iterdir()
    )


def test_a_marked_area_is_pixelated_before_anything_is_stored(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    picture = Pillow.new("RGB", (800, 800), "white")
    for x in range(0, 800, 8):  # fine stripes: detail that a blur destroys
        picture.paste((0, 0, 0), (x, 0, x + 4, 800))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    stored = images.store(SimpleUploadedFile("face.png", out.getvalue()), blur="0 0 50 50")
    copy = read_back(tmp_path / "magazine" / f"{stored.name}-{stored.width}.jpg").convert("L")
    blurred = ImageStat.Stat(copy.crop((40, 40, 360, 360))).stddev[0]
    untouched = ImageStat.Stat(copy.crop((440, 440, 760, 760))).stddev[0]
    assert untouched > 100 and blurred < 20


@pytest.mark.parametrize(
    ("blur", "message"),
    [("10 10 20", "four numbers"), ("10 10 200 5", "from 0 to 100"), ("a b c d", "four numbers")],
)
def test_areas_to_blur_are_read_or_refused_with_a_reason(blur, message):
    with pytest.raises(images.Refused, match=message):
        images.parse_areas(blur)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"%PDF-1.4 not a picture", "not an image"), (b"", "not an image")],
)
def test_what_is_not_a_picture_is_refused(content, message):
    with pytest.raises(images.Refused, match=message):
        images.store(SimpleUploadedFile("x.jpg", content))


def test_plain_text_drops_the_markup():
    assert plain("**Bold** and [a link](https://example.org).") == "Bold and a link."
