"""Every user group on a 375-px phone, one journey each: the public reader (with
JavaScript switched off), a creditor filing through ePOC without a login, an attorney
filing through the wizard, the clerk's QC queue, and the trustee and the U.S. Trustee
reading a case.

On every page visited: nothing scrolls sideways (neither the page nor a box inside
it), and axe-core finds no serious or critical violation. The main menu is a
disclosure that opens and closes from the keyboard without JavaScript; the docket's
entries are cards; form fields span the screen and buttons are at least 44 px tall.
"""

from __future__ import annotations

import re

import pytest
from browserkit import answer_human_check, login
from django.db import transaction
from django.urls import reverse
from factories import chapter7_case
from pdfmaker import make_pdf
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
TOUCH = 44  # px: the smallest touch target (WCAG 2.5.5, Apple and Android guidance)

# Boxes wider than the screen or scrolling sideways inside the page, as "tag.class" strings.
SIDEWAYS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, thead, .docket-table tr:has(> th)')) continue;
    const scrolls = ['auto', 'scroll'].includes(style.overflowX)
      && el.scrollWidth > el.clientWidth + 1;
    const r = el.getBoundingClientRect();
    if (scrolls || (r.width > 0 && r.right > window.innerWidth + 1)) {
      out.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.'));
    }
  }
  return out.slice(0, 5);
}"""

# Visible buttons (and links styled as buttons) shorter than a thumb.
SMALL_TARGETS = """min => [...document.querySelectorAll(
    'main button, main .button, main input[type=submit], main select, main input[type=text],'
    + 'main input[type=search], main input[type=email], main input[type=password],'
    + 'main input[type=date], main input[type=file], .nav-menu > summary')]
  .filter(el => el.offsetParent !== null && el.getBoundingClientRect().height < min - 0.5)
  .map(el => el.outerHTML.slice(0, 80))"""

# Text fields, lists and text areas narrower than the form they are in (less 2 px).
NARROW_FIELDS = """() => [...document.querySelectorAll(
    'main form input[type=text], main form input[type=email], main form input[type=search],'
    + 'main form input[type=password], main form input[type=file], main form select,'
    + 'main form textarea')]
  .filter(el => el.offsetParent !== null && !el.closest('.filter-grid, .amount-grid'))
  .filter(el => {
    const box = (el.closest('fieldset') || el.closest('form')).getBoundingClientRect();
    return el.getBoundingClientRect().width < box.width - 40;
  })
  .map(el => el.name)"""


def check_page(page, assert_accessible) -> None:
    """The page fits 375 px (page and every box in it) and passes axe-core."""
    # A click that follows a link returns once the next page has started; measure it
    # only when it has loaded (before that, the document has no root element).
    page.wait_for_load_state("load")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 375 px"
    wide = page.evaluate(SIDEWAYS)
    assert not wide, f"{page.url}: boxes scroll sideways or stick out: {wide}"
    small = page.evaluate(SMALL_TARGETS, TOUCH)
    assert not small, f"{page.url}: touch targets under {TOUCH} px: {small}"
    assert_accessible()


def check_form(page) -> None:
    """Fields span the form, and the primary button is on screen when scrolled to."""
    narrow = page.evaluate(NARROW_FIELDS)
    assert not narrow, f"{page.url}: fields narrower than the screen: {narrow}"


def toggle_menu_by_keyboard(page) -> None:
    """The menu starts closed; Enter opens it, Space closes it, from the keyboard."""
    summary = page.locator(".nav-menu > summary")
    menu = page.get_by_role("navigation", name="Main")
    expect(summary).to_be_visible()
    expect(menu.get_by_role("link", name="Find a case")).to_be_hidden()
    page.locator(".skip-link").focus()
    for _ in range(5):  # skip link, brand, then the menu's summary
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.nav-menu > summary')"):
            break
    else:
        raise AssertionError("the menu cannot be reached by Tab")
    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="Find a case")).to_be_visible()
    assert (
        menu.get_by_role("link", name="Find a case").bounding_box()["height"] >= TOUCH
    )
    page.keyboard.press("Tab")  # into the menu: the first link takes the focus
    assert page.evaluate("document.activeElement.closest('.nav-menu') !== null")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press(" ")
    expect(menu.get_by_role("link", name="Find a case")).to_be_hidden()


def open_menu(page):
    """Open the menu by touch; return the navigation landmark."""
    page.locator(".nav-menu > summary").click()
    return page.get_by_role("navigation", name="Main")


def docket_is_cards(page) -> None:
    """Each docket entry is a card: date, number and text in one box no wider than
    the screen, the text below the date; no column headings on screen."""
    rows = page.locator(".docket-table tr:not(:has(> th))")
    assert rows.count() >= 2
    for i in range(rows.count()):
        row = rows.nth(i)
        box = row.bounding_box()
        assert box["width"] <= PHONE["width"], "a docket entry is wider than the screen"
        date, text = row.locator("td").nth(0), row.locator("td.docket-text")
        assert text.bounding_box()["y"] > date.bounding_box()["y"] + 10
        assert text.bounding_box()["width"] > PHONE["width"] * 0.7
    assert page.locator(".docket-table tr:has(> th)").bounding_box()["height"] <= 1


def _world(demo, tmp_path):
    """A chapter 7 case with the debtor's attorney, the trustee, two documents and a
    proof of claim; one filing waits for the clerk's quality control."""
    from cases.models import Party, Representation
    from cases.services import PartyData, add_party
    from dockets.claims.services import ClaimData, file_claim
    from dockets.models import Event
    from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

    users = demo.users
    case = chapter7_case(demo)
    debtor = case.parties.get(role=Party.Role.DEBTOR)
    with transaction.atomic():
        add_party(
            case=case,
            user=users["trustee"],
            data=PartyData(role=Party.Role.TRUSTEE, name="Gerald H. Davis"),
        )
        Representation.objects.create(
            case=case, party=debtor, attorney=users["attorney"], notice=True
        )
    for code, name, text in [
        ("volp7", "petition.pdf", "VOLUNTARY PETITION\nMaria L. Gonzalez"),
        ("msj", "motion.pdf", "MOTION FOR SUMMARY JUDGMENT\n/s/ Dana M. Whitaker"),
    ]:
        file_docket_entry(
            FilingRequest(
                case=case,
                events=[Event.objects.get(code=code)],
                filer=users["attorney"],
                parties=[debtor],
                documents=[
                    UploadedDocument.from_path(
                        make_pdf(tmp_path / name, text=text),
                        filename=name,
                        page_count=1,
                    )
                ],
            )
        )
    file_claim(
        case=case,
        epoc=True,
        data=ClaimData(
            creditor_name="Sharp Memorial Hospital",
            creditor_address="7901 Frost Street\nSan Diego, CA 92123",
            creditor_phone="619-555-0100",
            basis="Medical services",
            amount_cents=3_261_140,
            secured_cents=200_000,
            priority_cents=0,
            unsecured_cents=3_061_140,
            account_last4="5521",
            signer_name="Ana Ruiz",
        ),
    )
    return case


def test_public_reader_without_javascript(
    browser, page, live_server, demo, tmp_path, settings, assert_accessible
):
    """A reader with JavaScript off finds a case and reads it on a phone. Each page
    is axe-checked in a twin tab with JavaScript (axe is a script)."""
    case = _world(demo, tmp_path)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    phone = context.new_page()
    page.set_viewport_size(PHONE)

    def visited() -> None:
        page.goto(phone.url)
        check_page(page, assert_accessible)
        width = phone.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{phone.url} is {width} px wide without JS"

    phone.goto(live_server.url + "/")
    visited()
    toggle_menu_by_keyboard(phone)

    open_menu(phone).get_by_role("link", name="Find a case").click()
    expect(phone.get_by_role("heading", level=1, name="Find a case")).to_be_visible()
    visited()
    check_form(phone)
    phone.get_by_role("textbox").first.fill("Gonzalez")
    phone.get_by_role("button", name="Search").click()
    results = phone.get_by_role("table")
    expect(results).to_contain_text("Maria L. Gonzalez")
    visited()

    phone.get_by_role("link", name=case.display_number).first.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(case.display_number)
    visited()

    phone.goto(live_server.url + reverse("dockets:docket", kwargs={"case_id": case.pk}))
    expect(phone.get_by_text("Motion for Summary Judgment").first).to_be_visible()
    visited()
    docket_is_cards(phone)

    phone.goto(
        live_server.url
        + reverse("dockets:claims-register", kwargs={"case_id": case.pk})
    )
    claim = phone.get_by_role("article", name="Claim No. 1: Sharp Memorial Hospital")
    expect(claim).to_be_visible()
    visited()
    # The amounts read down the card: each heading beside its value.
    claimed = claim.get_by_role("columnheader", name="Claimed")
    value = claim.get_by_role("cell", name="$32,611.40")
    assert abs(claimed.bounding_box()["y"] - value.bounding_box()["y"]) < 4
    assert value.bounding_box()["x"] > claimed.bounding_box()["x"]

    open_menu(phone).get_by_role("link", name="Search dockets").click()
    phone.get_by_label("Words in the docket text or in the documents").fill("motion")
    phone.get_by_role("button", name="Search").click()
    expect(phone.get_by_role("heading", name="Results for “motion”")).to_be_visible()
    visited()

    phone.goto(live_server.url + "/#help")
    visited()
    open_menu(phone).get_by_role("link", name="Log in").click()
    expect(phone.get_by_label("Email")).to_be_visible()
    visited()
    check_form(phone)
    context.close()

    # At 1280 px the menu is the usual row of links, with no "Menu" button.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    expect(page.locator(".nav-menu > summary")).to_be_hidden()
    menu = page.get_by_role("navigation", name="Main")
    find = menu.get_by_role("link", name="Find a case")
    log_in = menu.get_by_role("link", name="Log in")
    expect(find).to_be_visible()
    assert find.bounding_box()["y"] == log_in.bounding_box()["y"], "not one row"


def test_creditor_files_through_epoc_on_a_phone(
    page, live_server, demo, tmp_path, settings, assert_accessible
):
    """A creditor without a login files a claim with one thumb: full-width fields,
    large buttons, and the claim on the register afterwards."""
    case = _world(demo, tmp_path)
    page.set_viewport_size(PHONE)
    page.goto(
        live_server.url
        + reverse("dockets:claims-register", kwargs={"case_id": case.pk})
    )
    check_page(page, assert_accessible)
    page.get_by_role("link", name="File a claim without a login (ePOC)").click()
    expect(
        page.get_by_role("heading", level=1, name="Electronic Proof of Claim (ePOC)")
    ).to_be_visible()
    check_page(page, assert_accessible)
    check_form(page)

    page.get_by_label(re.compile(r"^Creditor name")).fill(
        "Coastal Federal Credit Union"
    )
    page.get_by_label(re.compile(r"^Notice address")).fill(
        "P.O. Box 9000\nSan Diego, CA 92169"
    )
    page.get_by_label(re.compile(r"^Amount of the claim")).fill("12,500.00")
    page.get_by_label(re.compile(r"^Unsecured amount")).fill("12,500.00")
    page.get_by_label(re.compile(r"^Basis of the claim")).fill("Automobile loan")
    page.get_by_label(re.compile(r"^Last 4 digits of the account number")).fill("1234")
    page.get_by_label(re.compile(r"^Supporting documents \(PDF\)")).set_input_files(
        str(make_pdf(tmp_path / "Loan.pdf", text="Loan agreement 1234"))
    )
    button = page.get_by_role("button", name="Review the claim")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box["width"] >= PHONE["width"] - 40 and box["height"] >= TOUCH
    button.click()

    # The English Form 410 is shown before signing; signing is one thumb too.
    expect(
        page.get_by_role("heading", level=1, name="Review and sign your proof of claim")
    ).to_be_visible()
    check_page(page, assert_accessible)
    check_form(page)
    page.get_by_label(re.compile(r"^Your name \(your signature\)")).fill("Ana Ruiz")
    redacted = page.get_by_label(re.compile("^I have redacted"))
    # The tick box's label is a thumb-sized target: tapping the words ticks it.
    label = page.locator(f"label[for='{redacted.get_attribute('id')}']")
    assert label.bounding_box()["height"] >= TOUCH
    label.click()
    expect(redacted).to_be_checked()
    answer_human_check(page)
    button = page.get_by_role("button", name="Sign and file claim")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box["width"] >= PHONE["width"] - 40 and box["height"] >= TOUCH
    button.click()

    expect(page.get_by_role("heading", level=1, name="Claim 2-1 filed")).to_be_visible()
    check_page(page, assert_accessible)
    page.get_by_role("link", name=re.compile("View the claims register")).click()
    expect(
        page.get_by_role("article", name="Claim No. 2: Coastal Federal Credit Union")
    ).to_be_visible()
    check_page(page, assert_accessible)


def test_attorney_files_through_the_wizard_on_a_phone(
    page, live_server, demo, tmp_path, settings, assert_accessible
):
    """The debtor's attorney files a certificate of service step by step at 375 px;
    on each step the primary button is under the thumb at the bottom of the screen."""
    from dockets.models import DocketEntry

    case = _world(demo, tmp_path)
    page.set_viewport_size(PHONE)
    login(page, live_server, demo.users["attorney"])
    check_page(page, assert_accessible)
    open_menu(page).get_by_role("link", name="File a document").click()
    check_page(page, assert_accessible)
    check_form(page)
    page.get_by_label("Case number").fill(case.display_number)
    page.get_by_role("button", name="Next").click()

    def step(heading: str) -> None:
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
        check_page(page, assert_accessible)
        check_form(page)
        # Once the step's form is in view, its primary button is on screen too (at
        # the bottom, under the thumb), however long the form.
        button = page.get_by_role("button", name="Continue")
        page.locator("form:has(button[name=next])").evaluate(
            "form => form.scrollIntoView({block: 'start'})"
        )
        box = button.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], f"{heading}: off screen"
        assert box["height"] >= TOUCH

    step("Choose the event")
    page.get_by_label("Search events by keyword or form number").fill(
        "certificate of service"
    )
    page.get_by_role("button", name="Show events").click()
    event = page.get_by_label(re.compile(r"^Certificate of Service"))
    label = page.locator(f"label[for='{event.get_attribute('id')}']")
    assert label.bounding_box()["height"] >= TOUCH
    label.click()
    page.get_by_role("button", name="Continue").click()

    seen: list[str] = []
    while not page.get_by_role("heading", name="Final docket text").count():
        heading = page.get_by_role("heading", level=2).first.inner_text()
        assert heading not in seen, f"the wizard did not move on from {heading}"
        seen.append(heading)
        step(heading)
        if heading == "Parties":
            page.get_by_role("group", name="Filing for").get_by_label(
                "Maria L. Gonzalez"
            ).check()
        elif heading == "Refer to earlier entries":
            page.get_by_label(re.compile(r"^Include 2 Motion")).check()
        elif heading == "Documents":
            page.get_by_label("Main document (PDF)").set_input_files(
                str(make_pdf(tmp_path / "cos.pdf", text="CERTIFICATE OF SERVICE"))
            )
        page.get_by_role("button", name="Continue").click()

    check_page(page, assert_accessible)
    acknowledge = page.get_by_label("I have reviewed these warnings")
    if acknowledge.count():
        acknowledge.check()
    page.get_by_role("button", name="Submit filing").click()
    expect(
        page.get_by_role("heading", name="Notice of Electronic Filing")
    ).to_be_visible()
    check_page(page, assert_accessible)
    assert DocketEntry.objects.filter(case=case, event__code="cos").exists()

    page.get_by_role(
        "link", name=f"View the docket of case {case.display_number}"
    ).click()
    expect(page.get_by_text("Certificate of Service").first).to_be_visible()
    check_page(page, assert_accessible)
    docket_is_cards(page)
    open_menu(page).get_by_role("link", name="My filings").click()
    check_page(page, assert_accessible)


def test_clerk_works_the_qc_queue_on_a_phone(
    page, live_server, demo, tmp_path, settings, assert_accessible
):
    """The clerk reviews the newest filing from the QC queue at 375 px."""
    case = _world(demo, tmp_path)
    page.set_viewport_size(PHONE)
    login(page, live_server, demo.users["clerk"])
    check_page(page, assert_accessible)
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="QC queue"
    ).first.click()
    expect(
        page.get_by_role("heading", level=1, name="Quality control queue")
    ).to_be_visible()
    check_page(page, assert_accessible)
    expect(page.get_by_text(case.display_number).first).to_be_visible()
    page.get_by_role("button", name=re.compile("^Mark reviewed")).first.click()
    check_page(page, assert_accessible)
    page.goto(live_server.url + reverse("dockets:docket", kwargs={"case_id": case.pk}))
    check_page(page, assert_accessible)
    docket_is_cards(page)


@pytest.mark.parametrize("who", ["trustee", "ustrustee"])
def test_trustees_read_a_case_on_a_phone(
    page, live_server, demo, tmp_path, settings, assert_accessible, who
):
    """The case trustee and the U.S. Trustee read the case, a document's page, the
    claims register and their own pages at 375 px."""
    case = _world(demo, tmp_path)
    page.set_viewport_size(PHONE)
    login(page, live_server, demo.users[who])
    check_page(page, assert_accessible)
    page.goto(live_server.url + reverse("cases:summary", kwargs={"case_id": case.pk}))
    check_page(page, assert_accessible)
    page.goto(live_server.url + reverse("dockets:docket", kwargs={"case_id": case.pk}))
    check_page(page, assert_accessible)
    docket_is_cards(page)
    page.locator(".docket-table td:nth-child(2) a").first.click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    check_page(page, assert_accessible)
    page.goto(
        live_server.url
        + reverse("dockets:claims-register", kwargs={"case_id": case.pk})
    )
    check_page(page, assert_accessible)
    for name in ["Inbox", "Your account", "Filing menu"]:
        open_menu(page).get_by_role("link", name=name).click()
        check_page(page, assert_accessible)
