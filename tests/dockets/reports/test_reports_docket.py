"""The public docket report: CM/ECF labels and structure, keyset pages, options,
and the query budget."""

from __future__ import annotations

import re

import pytest
import testkit
from django.urls import reverse
from reports_helpers import bulk_entries

from cases.models import Deadline
from dockets.clerk import services as clerk
from dockets.models import Visibility

pytestmark = pytest.mark.django_db


def _url(case, **params):
    from urllib.parse import urlencode

    base = reverse("dockets:docket", kwargs={"case_id": case.pk})
    return base + ("?" + urlencode(params) if params else "")


def _row_numbers(html: str) -> list[int]:
    """The docket numbers in the table, in page order."""
    table = html.split('class="table docket-table"', 1)[1].split("</table>", 1)[0]
    numbers = []
    for row in re.findall(r"<tr[^>]*><td>[^<]*</td><td>(.*?)</td>", table, re.S):
        text = re.sub(r"<[^>]+>", "", row).split("(")[0].strip()
        if text.isdigit():
            numbers.append(int(text))
    return numbers


def test_docket_report_prints_the_cmecf_header_party_blocks_and_table(
    world, file_entry, client
):
    """The anonymous docket shows DktRpt's labels, the party blocks and the three columns."""
    Deadline.objects.create(
        case=world.case,
        kind="meeting_341",
        label="341 meeting",
        due_at="2026-12-30T19:00:00Z",
        location="Room 2",
    )
    file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        attachments=["Exhibit A Deed of Trust"],
        parties=[world.debtor],
    )
    response = client.get(_url(world.case))
    assert response.status_code == 200
    html = response.content.decode()
    for label in [
        "U.S. Bankruptcy Court",
        "Southern District of California (San Diego)",
        f"Bankruptcy Petition #: {world.case.display_number}",
        "Assigned to: Judge Laura S. Taylor",
        "Chapter 7",
        "Voluntary",
        "No asset",
        f"Date filed: {world.case.date_filed:%m/%d/%Y}",
        "341 meeting: 12/30/2026 11:00 AM",
        "Creditors: 2",
    ]:
        assert label in html, label
    # Party blocks: role, name, address, masked SSN, alias, then "represented by" counsel.
    assert "<u>Debtor</u>" in html
    assert "xxx-xx-5678" in html and "512345678" not in html
    assert "aka Maria Luisa Gonzalez" in html
    assert "represented by" in html and "Dana M. Whitaker" in html
    # The docket table: header row straight under <table> (no tbody), as parsers expect.
    assert re.search(
        r'<table class="table docket-table">\s*<caption[^>]*>[^<]*</caption>\s*<tr><th scope="col">Filing Date</th>'
        r'<th scope="col">#</th><th scope="col">Docket Text</th></tr>',
        html,
    )
    entry = world.case.entries.get(number=1)
    main = entry.documents.get(sequence=0)
    exhibit = entry.documents.get(sequence=1)
    assert (
        f'<a href="{reverse("dockets:document", kwargs={"document_id": main.pk})}">1</a>'
        in html
    )
    assert (
        f'href="{reverse("dockets:document", kwargs={"document_id": exhibit.pk})}"># 1 Exhibit A Deed of Trust</a>'
        in html
    )
    assert f"(Entered: {entry.filed_date:%m/%d/%Y})" in html


def test_parties_can_be_left_out(world, client):
    html = client.get(_url(world.case, submitted=1, parties=0)).content.decode()
    assert "<u>Debtor</u>" not in html
    assert "Bankruptcy Petition #:" in html


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_any_page_costs_four_queries(
    world, client, django_assert_max_num_queries, where
):
    """First, middle and last pages of 100 entries answer in four queries: the case
    with its header, the party blocks, the page's entries and their documents."""
    bulk_entries(world.case, 350)
    pages: dict[str, dict[str, object]] = {
        "first": {},
        "middle": {"after": 170},
        "last": {"page": "last"},
    }
    params = pages[where]
    with django_assert_max_num_queries(4):
        response = client.get(_url(world.case, **params))
    assert response.status_code == 200
    numbers = _row_numbers(response.content.decode())
    assert len(numbers) == 100
    expected = {
        "first": list(range(1, 101)),
        "middle": list(range(171, 271)),
        "last": list(range(251, 351)),
    }
    assert numbers == expected[where]


def test_logged_in_participant_page_has_no_per_row_queries(
    world, client, django_assert_max_num_queries
):
    """A participant's page adds only the login and the one participation check."""
    bulk_entries(world.case, 150)
    client.force_login(world.users["attorney"])
    # The case, parties, entries and documents; the session, user, filer record and
    # two-factor check; the participation check; the "follow" switch.
    with django_assert_max_num_queries(10):
        response = client.get(_url(world.case))
    assert len(_row_numbers(response.content.decode())) == 100


def test_next_links_walk_every_entry_once_in_both_orders(world, client):
    bulk_entries(world.case, 230)
    for sort, expected in (
        ("oldest", list(range(1, 231))),
        ("newest", list(range(230, 0, -1))),
    ):
        seen = []
        url = _url(world.case, sort=sort)
        while url:
            html = client.get(url).content.decode()
            seen += _row_numbers(html)
            match = re.search(r'href="(\?[^"]*after=\d+)">Next page', html)
            url = (
                _url(world.case) + match.group(1).replace("&amp;", "&")
                if match
                else None
            )
        assert seen == expected, sort


def test_previous_link_goes_back_one_page(world, client):
    bulk_entries(world.case, 250)
    html = client.get(_url(world.case, after=150)).content.decode()
    match = testkit.search(r'href="(\?[^"]*before=\d+)">Previous page', html)
    back = client.get(
        _url(world.case) + match.group(1).replace("&amp;", "&")
    ).content.decode()
    assert _row_numbers(back) == list(range(51, 151))


def test_document_number_range_and_dates_filter_the_table(world, client):
    rows = bulk_entries(world.case, 40)
    html = client.get(_url(world.case, number_from=10, number_to=14)).content.decode()
    assert _row_numbers(html) == [10, 11, 12, 13, 14]
    day = rows[0].filed_date
    html = client.get(
        _url(world.case, date_from=day.isoformat(), date_to=day.isoformat())
    ).content.decode()
    assert _row_numbers(html) and all(1 <= n <= 40 for n in _row_numbers(html))
    html = client.get(
        _url(world.case, date_from="2001-01-01", date_to="2001-01-02")
    ).content.decode()
    assert "No docket entries match." in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "31/31/2026"}, "From date: enter a date like 01/31/2026."),
        (
            {"number_from": "ten"},
            "From document number: enter a whole number, like 12.",
        ),
        ({"after": "x'; drop"}, "That page link is not valid"),
        (
            {"date_from": "2026-02-01", "date_to": "2026-01-01"},
            "The From date is after the To date",
        ),
    ],
)
def test_bad_options_get_a_plain_message_not_an_error(world, client, params, message):
    bulk_entries(world.case, 3)
    response = client.get(_url(world.case, **params))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_missing_case_is_404(client):
    assert (
        client.get(reverse("dockets:docket", kwargs={"case_id": 999999})).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("role", "sees_text"),
    [
        ("anonymous", False),
        ("public", False),
        ("attorney", False),
        ("creditor", False),
        ("clerk", True),
        ("judge", True),
    ],
)
def test_sealed_entry_shows_as_sealed_with_no_link(
    world, file_entry, client, role, sees_text
):
    entry = file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        text_override="Motion under seal. OSPREY-42.",
    )
    clerk.set_entry_visibility(
        entry=entry,
        clerk=world.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order 12",
    )
    if role != "anonymous":
        client.force_login(world.users[role])
    html = client.get(_url(world.case)).content.decode()
    link = reverse("dockets:document", kwargs={"document_id": entry.documents.get().pk})
    assert ("OSPREY-42" in html) is sees_text
    assert (f'href="{link}"' in html) is sees_text
    if not sees_text:
        assert "**SEALED DOCUMENT**" in html


@pytest.mark.parametrize(
    ("role", "sees_link"),
    [
        ("anonymous", False),
        ("attorney", True),
        ("creditor", True),
        ("attorney2", False),
        ("clerk", True),
    ],
)
def test_restricted_document_links_only_for_participants(
    world, file_entry, client, role, sees_link
):
    entry = file_entry(
        world.case, "msj", world.users["attorney"], visibility=Visibility.RESTRICTED
    )
    if role != "anonymous":
        client.force_login(world.users[role])
    html = client.get(_url(world.case)).content.decode()
    link = reverse("dockets:document", kwargs={"document_id": entry.documents.get().pk})
    assert (f'href="{link}"' in html) is sees_link
    assert entry.text[:30] in html  # restricted entries keep their text on the docket


def test_party_blocks_leave_out_only_matrix_creditors_nobody_appeared_for(world):
    """Listed: the debtor, a creditor with an account, a represented creditor; not
    listed: a matrix creditor with neither (counted in the header instead)."""
    from cases.models import Party, Representation
    from dockets.reports.selectors import party_blocks

    hospital = Party.objects.get(case=world.case, name="Sharp Memorial Hospital")
    names = [p.name for p in party_blocks(world.case)]
    assert names == ["Maria L. Gonzalez", "Coastal Federal Credit Union"]
    Representation.objects.create(
        case=world.case, party=hospital, attorney=world.users["attorney"]
    )
    names = [p.name for p in party_blocks(world.case)]
    assert names == [
        "Maria L. Gonzalez",
        "Coastal Federal Credit Union",
        "Sharp Memorial Hospital",
    ]
