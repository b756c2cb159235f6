"""The site on its onion address: every public page, feed and API answer served there links only
to the onion address, never to the clearnet one (a Tor visitor who follows a link stays on the
onion service), and the onion pages do not announce themselves with Onion-Location."""

import re

import pytest

from solidarity.core.tests.test_sweep import registry, urls  # noqa: F401 (the sweep's registry fixture)

ONION = "zx2xkxwz4e3bzt6zr3oqpf4kwq4ggtdqhdq3xbofavxbd6h5pohupmqd.onion"
CLEARNET = "politzek.example"
OURS = re.compile(r"https?://([a-z0-9.-]+)", re.IGNORECASE)
GETS = [
    "home", "people_list", "person_detail", "person_print", "birthdays", "statistics", "changes_feed",
    "facility_detail", "friends_home", "magazine", "magazine_feed", "magazine_article", "campaigns",
    "petitions", "petition", "petition_ledger", "testimonies", "embed_counter",
]  # fmt: skip


@pytest.mark.django_db
def test_pages_served_on_the_onion_address_link_only_to_it(client, registry, settings):  # noqa: F811
    settings.ALLOWED_HOSTS = [CLEARNET, ONION]
    settings.ONION_LOCATION = f"http://{ONION}/"
    pages = urls(registry)
    clearnet = client.get(pages["home"], HTTP_HOST=CLEARNET)
    assert clearnet["Onion-Location"] == f"http://{ONION}/en/"
    for name in [*GETS, "/api/v1/people", "/api/v1/petitions", "/api/v1/magazine/articles"]:
        path = pages.get(name, name)
        response = client.get(path, HTTP_HOST=ONION)
        assert response.status_code == 200, path
        assert "Onion-Location" not in response, path
        body = response.content.decode()
        hosts = {host.lower() for host in OURS.findall(body)}
        assert CLEARNET not in body and "testserver" not in hosts, path
        if name in ("statistics", "changes_feed", "magazine_feed", "/api/v1/petitions"):
            assert ONION in hosts, path  # absolute links there are made, and made on the onion host


@pytest.mark.django_db
def test_with_https_on_the_clearnet_site_redirects_and_the_onion_address_does_not(client, settings):
    settings.ALLOWED_HOSTS = [CLEARNET, ONION, f"{ONION}."]
    settings.SECURE_SSL_REDIRECT = True
    settings.ONION_LOCATION = f"http://{ONION}/"
    assert client.get("/en/", HTTP_HOST=CLEARNET).status_code == 301
    onion = client.get("/en/", HTTP_HOST=ONION)
    assert onion.status_code == 200 and "Onion-Location" not in onion
    assert "Onion-Location" not in client.get("/en/", HTTP_HOST=f"{ONION}.")  # written with the root's dot
    assert client.get("/en/", HTTP_HOST="not-ours.example").status_code == 400
