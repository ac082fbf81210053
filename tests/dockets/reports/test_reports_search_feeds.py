"""Full-text search, RSS feeds in the CM/ECF item format, following a case, and the
reports for filers and clerks."""

from __future__ import annotations

import defusedxml.ElementTree as ET
import pytest
import testkit
from django.db import connection
from django.urls import reverse
from reports_helpers import bulk_entries

from cases.models import CaseWatch, Deadline
from dockets.clerk import services as clerk
from dockets.models import Visibility

pytestmark = pytest.mark.django_db


def test_court_search_finds_public_text_newest_first_with_highlights(
    world, file_entry, client
):
    older = file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        text_override="Motion about the pomegranate orchard.",
    )
    newer = file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        text_override="Reply on pomegranates <b>bold</b>.",
    )
    response = client.get(reverse("dockets:search") + "?q=pomegranate")
    html = response.content.decode()
    assert html.index(f"Doc {newer.number}") < html.index(f"Doc {older.number}")
    assert "<mark>pomegranate</mark>" in html and "<mark>pomegranates</mark>" in html
    i = html.find("<b>bold</b>")
    assert i == -1, html[i - 300 : i + 50]
    # Each hit links to its case's docket, at the page that starts with the entry.
    docket_url = reverse("dockets:docket", kwargs={"case_id": world.case.pk})
    assert (
        f'<a href="{docket_url}?submitted=1&amp;parties=0&amp;after={newer.seq - 1}">'
        in html
    )


def test_search_never_returns_sealed_text_except_to_the_court(
    world, file_entry, client
):
    entry = file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        text_override="Sealed albatross settlement.",
    )
    clerk.set_entry_visibility(
        entry=entry,
        clerk=world.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order",
    )
    for role in ("anonymous", "public", "attorney", "creditor"):
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        for url in (
            reverse("dockets:search"),
            reverse("dockets:case-search-text", kwargs={"case_id": world.case.pk}),
        ):
            html = client.get(url + "?q=albatross").content.decode()
            assert (
                "albatross</mark>" not in html and "No docket entries match" in html
            ), (role, url)
    client.force_login(world.users["clerk"])
    assert (
        "<mark>albatross</mark>"
        in client.get(reverse("dockets:search") + "?q=albatross").content.decode()
    )


def test_search_pages_by_keyset_and_costs_few_queries(
    world, client, django_assert_max_num_queries
):
    bulk_entries(world.case, 45, text="Notice of continued hearing.")
    url = reverse("dockets:search") + "?q=continued+hearing"
    with django_assert_max_num_queries(3):
        html = client.get(url).content.decode()
    assert html.count('class="docket-text"') == 20
    import re

    seen = set(re.findall(r"Doc (\d+)", html))
    next_url = (
        testkit.search(r'href="(\?q=[^"]+)">Older results', html)
        .group(1)
        .replace("&amp;", "&")
    )
    html2 = client.get(reverse("dockets:search") + next_url).content.decode()
    assert (
        not seen & set(re.findall(r"Doc (\d+)", html2))
        and html2.count('class="docket-text"') == 20
    )


def test_search_within_a_case_stays_in_the_case(
    world, other_case, file_entry, client, demo
):
    """The in-case search shows the case's own matching entries and never a matching
    entry of another case, which the court-wide search does find."""
    other = other_case
    file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        text_override="Motion regarding the walrus colony.",
    )
    file_entry(
        other,
        "msj",
        world.users["attorney"],
        text_override="Objection about the walrus tusk.",
    )
    in_case = client.get(
        reverse("dockets:case-search-text", kwargs={"case_id": world.case.pk})
        + "?q=walrus"
    ).content.decode()
    assert "<mark>walrus</mark> colony" in in_case
    assert "tusk" not in in_case and other.display_number not in in_case
    court_wide = client.get(reverse("dockets:search") + "?q=walrus").content.decode()
    assert "colony" in court_wide and "<mark>walrus</mark> tusk" in court_wide


@pytest.mark.parametrize("q", ["", "   ", "&&&", "'", "a" * 500, "!!! ((("])
def test_odd_search_input_never_errors(world, client, q):
    assert client.get(reverse("dockets:search"), {"q": q}).status_code == 200
    assert (
        client.get(reverse("dockets:search"), {"q": "x", "after": q}).status_code == 200
    )


def test_court_search_uses_the_gin_index(world):
    bulk_entries(world.case, 50)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM dockets_docketentry WHERE search_vector @@ websearch_to_tsquery('english', %s)"
            " ORDER BY filed_at DESC LIMIT 20",
            ["change address"],
        )
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "search_vector" in plan and "Index" in plan and "Seq Scan" not in plan


def test_case_search_has_one_index_for_the_case_and_the_text(world):
    """In-case search reads the case's matches only (P8 in make bench measures it).

    A planner test on a tiny table would pick any plan; what matters is that
    one GIN index holds the case id and the text together (btree_gin).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'dockets_docketentry'"
            " AND indexdef LIKE '%%USING gin%%'"
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("gin (case_id, search_vector)" in d for d in definitions), definitions


def _items(xml: bytes):
    root = ET.fromstring(xml)
    return root.find("channel"), root.findall("channel/item")


def test_court_rss_uses_the_cmecf_item_format(world, file_entry, client):
    entry = file_entry(world.case, "msj", world.users["attorney"])
    response = client.get(reverse("dockets:rss-court"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel, items = _items(response.content)
    assert (
        channel.findtext("title") == "Southern District of California - Recent Entries"
    )
    item = items[0]
    case = world.case
    assert item.findtext("title") == f"{case.display_number} {case.title}"
    docket = reverse("dockets:docket", kwargs={"case_id": case.pk})
    assert item.findtext("link").endswith(docket)
    assert item.findtext("guid").endswith(f"{docket}-{entry.seq}")
    main = entry.documents.get()
    doc = reverse("dockets:document", kwargs={"document_id": main.pk})
    description = item.findtext("description")
    assert description.startswith(
        f"Type: bk Office: 3 Chapter: 7 Trustee: Gerald H. Davis [{entry.event.name}] (<a href='"
    )
    assert description.endswith(f"{doc}'>{entry.number}</a>)")
    assert item.findtext("pubDate")


def test_rss_leaves_out_sealed_and_restricted_entries(world, file_entry, client):
    sealed = file_entry(
        world.case, "msj", world.users["attorney"], text_override="Sealed."
    )
    clerk.set_entry_visibility(
        entry=sealed,
        clerk=world.users["clerk"],
        visibility=Visibility.SEALED,
        reason="O",
    )
    file_entry(
        world.case, "msj", world.users["attorney"], visibility=Visibility.RESTRICTED
    )
    public = file_entry(world.case, "msj", world.users["attorney"])
    client.force_login(
        world.users["clerk"]
    )  # even a court user's feed is the public one
    for url in (
        reverse("dockets:rss-court"),
        reverse("dockets:rss-case", kwargs={"case_id": world.case.pk}),
    ):
        _, items = _items(client.get(url).content)
        assert [i.findtext("guid").rsplit("-", 1)[1] for i in items] == [
            str(public.seq)
        ]


def test_follow_and_unfollow(world, client):
    url = reverse("dockets:follow", kwargs={"case_id": world.case.pk})
    assert client.post(url, {"follow": "1"}).status_code == 302  # to the login page
    assert not CaseWatch.objects.exists()
    client.force_login(world.users["public"])
    assert (
        b"Follow this case"
        in client.get(
            reverse("dockets:docket", kwargs={"case_id": world.case.pk})
        ).content
    )
    client.post(url, {"follow": "1"})
    client.post(url, {"follow": "1"})
    assert (
        CaseWatch.objects.filter(user=world.users["public"], kind="follow").count() == 1
    )
    assert (
        b"Stop following this case"
        in client.get(
            reverse("dockets:docket", kwargs={"case_id": world.case.pk})
        ).content
    )
    client.post(url, {"follow": "0"})
    assert not CaseWatch.objects.exists()
    assert client.get(url).status_code == 405


def test_follow_hook_is_registered():
    from core.audit import _event_hooks
    from dockets.alerts.services import on_audit_event

    assert on_audit_event in _event_hooks


@pytest.mark.parametrize(
    "name",
    [
        "report-index",
        "report-cases-filed",
        "report-docket-activity",
        "report-claims-activity",
        "report-calendar",
    ],
)
def test_reports_are_for_filers_and_clerks(world, client, name):
    url = reverse(f"dockets:{name}")
    assert client.get(url).status_code == 302
    client.force_login(world.users["public"])
    assert client.get(url).status_code == 404
    for role in ("attorney", "clerk"):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 200


def test_report_contents(world, file_entry, client, django_assert_max_num_queries):
    bulk_entries(world.case, 30, start_days_ago=3)
    Deadline.objects.create(
        case=world.case,
        kind="hearing",
        label="Hearing on relief from stay",
        due_at="2026-11-20T18:00:00Z",
        location="Courtroom 1",
    )
    client.force_login(world.users["clerk"])
    html = client.get(reverse("dockets:report-cases-filed")).content.decode()
    assert world.case.display_number in html
    with django_assert_max_num_queries(8):
        html = client.get(reverse("dockets:report-docket-activity")).content.decode()
    assert html.count("Notice of change of address.") == 30
    html = client.get(
        reverse("dockets:report-calendar"),
        {"date_from": "2026-11-01", "date_to": "2026-11-30"},
    ).content
    assert b"Judge Laura S. Taylor" in html and b"11/20/2026 10:00 AM" in html
    html = client.get(
        reverse("dockets:report-cases-filed"), {"date_from": "not a date"}
    ).content
    assert b"From date: enter a date like 01/31/2026." in html
