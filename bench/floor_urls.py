"""The floor's one view: each measured path answered with the bytes (and content type) the app
answered it with once, read from the manifest named by BENCH_FLOOR_MANIFEST (`bench/load.py`
writes it). No database, no template: what is left is the framework's own cost."""

import json
import os
import re
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import re_path


def _pages() -> list[tuple[re.Pattern, str, bytes]]:
    manifest = json.loads(Path(os.environ["BENCH_FLOOR_MANIFEST"]).read_text(encoding="utf-8"))
    return [
        (re.compile(page["pattern"]), page["content_type"], Path(page["body"]).read_bytes())
        for page in manifest
    ]


PAGES = _pages()


def floor(request: HttpRequest, path: str) -> HttpResponse:
    for pattern, content_type, body in PAGES:
        if pattern.fullmatch(request.path):
            return HttpResponse(body, content_type=content_type)
    return HttpResponse(b"not a measured page", status=404, content_type="text/plain")


urlpatterns = [re_path(r"^(?P<path>.*)$", floor)]
