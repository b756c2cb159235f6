"""The whole road of a letter in real headless Chromium: written with the phrasebook, checked as
it is typed, printed as a PDF; or handed to volunteers, approved, printed in a batch, mailed,
answered, and the reply read with the codename."""

from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from solidarity.letters import checker
from solidarity.letters.models import Letter, Reply

from .helpers import image_bytes, pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PNG = image_bytes("PNG")


def test_compose_with_the_phrasebook_fix_a_finding_and_download_the_pdf(page, live_server, viktar, tmp_path):
    page.goto(f"{live_server.url}/en/people/{viktar.pk}/")
    page.get_by_role("link", name="Write a letter or a postcard").click()
    expect(page.locator(".reach")).to_contain_text("Do letters arrive?")
    page.locator("#phrasebook summary").click()
    for phrase in ("Hello, Viktar!", "I wish you good health."):
        page.get_by_label(phrase, exact=False).check()
    page.get_by_role("button", name="Add the chosen phrases to the letter").click()
    textarea = page.locator("textarea[name=body]")
    assert textarea.input_value().startswith("Здравствуйте, Виктор!")

    # A slip, as a writer makes it: the checker marks it while they type.
    textarea.press("End")
    textarea.press_sequentially(" Видел новости с фронта.")
    expect(page.locator("#checker .finding-war").first).to_contain_text("The war", timeout=10_000)
    expect(page.locator("#checker mark.finding-war")).to_have_text("фронта")
    # The live summary is the server's own sentences: the same count, plural and grouping.
    with translation.override("en"):
        server = checker.check(textarea.input_value(), addressee=viktar)
        said = f"{checker.explain(server)} {checker.counted(server)}"
    expect(page.locator("#checker [data-summary]")).to_have_text(said)
    textarea.fill(textarea.input_value().replace(" Видел новости с фронта.", " У нас идёт снег."))
    expect(page.locator("#checker [data-summary]")).to_contain_text("Nothing found", timeout=10_000)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF to print").click()
    saved = tmp_path / "letter.pdf"
    download.value.save_as(saved)
    letter, envelope = pdf_pages(saved.read_bytes())
    assert "Здравствуйте, Виктор!" in letter and "У нас идёт снег." in letter
    assert "Шелест Виктор Петрович" in envelope
    assert page.record.console_errors == []
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}


def test_hand_to_volunteers_approve_print_mail_reply_and_read_it_with_the_codename(
    browser, page, live_server, viktar, volunteer, tmp_path
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from solidarity.staff.tests.helpers import PASSWORD, current_code

    # The writer.
    page.goto(f"{live_server.url}/en/people/{viktar.pk}/write/")
    page.locator("textarea[name=body]").fill("Здравствуйте, Виктор!\n\nУ нас первый снег. Обнимаем.\n\nОля")
    page.get_by_role("button", name="Hand it to our volunteers").click()
    expect(page.locator("[data-question]")).to_be_hidden()  # the proof of work runs instead
    page.get_by_role("button", name="Hand it over").click()
    page.wait_for_selector("#codename", timeout=60_000)
    codename = page.locator("#codename").inner_text()
    assert len(codename.split()) == 7
    letter = Letter.objects.get()
    page.context.close()

    # The volunteer, in the back office.
    office = browser.new_context(locale="en-US", accept_downloads=True)
    admin = office.new_page()
    admin.goto(f"{live_server.url}/admin/login/?next=/admin/letters/letter/")
    admin.fill("input[name=username]", volunteer.username)
    admin.fill("input[name=password]", PASSWORD)
    admin.fill("input[name=otp_token]", current_code(TOTPDevice.objects.get(user=volunteer)))
    admin.locator("input[type=submit]").last.click()

    def run(action: str):
        admin.goto(f"{live_server.url}/admin/letters/letter/")
        admin.locator(f"input[name=_selected_action][value='{letter.pk}']").check()
        admin.select_option("select[name=action]", action)
        admin.locator("button[name=index]").first.click()

    run("approve")
    expect(admin.locator(".messagelist")).to_contain_text("1 letter approved.")
    admin.goto(f"{live_server.url}/admin/letters/letter/")
    admin.locator(f"input[name=_selected_action][value='{letter.pk}']").check()
    admin.select_option("select[name=action]", "print_batch")
    with admin.expect_download() as download:
        admin.locator("button[name=index]").first.click()
    batch = tmp_path / "batch.pdf"
    download.value.save_as(batch)
    pages = pdf_pages(batch.read_bytes())
    assert "У нас первый снег." in pages[0] and "Шелест Виктор Петрович" in pages[1]

    run("mark_mailed")
    admin.fill("input[name=day]", "2026-11-20")
    admin.get_by_role("button", name="Confirm").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 letter marked mailed.")

    scan = tmp_path / "reply.png"
    scan.write_bytes(PNG)
    admin.goto(f"{live_server.url}/admin/letters/letter/{letter.pk}/change/")
    admin.set_input_files("input[name=replies-0-scan]", str(scan))
    admin.locator("input[name=_continue]").click()
    expect(admin.locator(".messagelist")).to_contain_text("The reply was uploaded")
    assert Reply.objects.count() == 1
    office.close()

    # The writer again, on another device, with nothing but the codename.
    device = browser.new_context(locale="en-US")
    reader = device.new_page()
    reader.goto(f"{live_server.url}/en/letters/follow/")
    reader.get_by_label("Codename").fill(codename)
    reader.get_by_role("button", name="Show my letters").click()
    expect(reader.locator(".letters")).to_contain_text("mailed")
    expect(reader.locator(".reply")).to_contain_text("A reply has come!")
    with reader.expect_response(lambda r: "/letters/replies/" in r.url) as opened:
        reader.get_by_role("link", name="Read the reply").click()
    assert opened.value.status == 200 and opened.value.headers["content-type"] == "image/png"
    assert Reply.objects.get().first_read_on is not None
    device.close()
