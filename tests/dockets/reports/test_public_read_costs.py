"""What each public read costs in SQL statements (issue 21: the public reads run beside
the filings and share their CPU), with the rows each still shows and hides.

Counts, not timings: a page that starts reading per row, or compiles a query it did
not, fails here."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from reports_helpers import bulk_entries

from dockets.clerk import services as clerk
from dockets.fulltext.models import DocumentPage
from dockets.models import Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(world, other_case, file_entry):
    """Case A: public, sealed and restricted "heron" entries with documents whose text
    is indexed; case B: public "heron" entries."""
    attorney = world.users["attorney"]
    public = [
        file_entry(world.case, "msj", attorney, text_override=f"Heron motion {i}")
        for i in range(3)
    ]
    sealed = file_entry(world.case, "msj", attorney, text_override="Heron secret")
    clerk.set_entry_visibility(
        entry=sealed,
        clerk=world.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order",
    )
    restricted = file_entry(
        world.case,
        "msj",
        attorney,
        text_override="Heron restricted",
        visibility=Visibility.RESTRICTED,
    )
    bulk_entries(other_case, 25, text="Heron notice")
    from django.contrib.postgres.search import SearchVector

    for entry in (*public, sealed, restricted):
        document = entry.documents.get(sequence=0)
        DocumentPage.objects.create(
            document=document,
            entry=entry,
            case=entry.case,
            page=1,
            filed_at=entry.filed_at,
            text=f"The heron page of {entry.text}",
        )
    DocumentPage.objects.update(search_vector=SearchVector("text", config="english"))
    return {"public": public, "sealed": sealed, "restricted": restricted}


def _doc_links(html: str) -> set[int]:
    return {int(m) for m in re.findall(r'href="/documents/(\d+)/"', html)}


def test_in_case_search_costs_six_statements_and_hides_sealed(
    world, mixed, client, django_assert_max_num_queries
):
    url = reverse("dockets:case-search-text", kwargs={"case_id": world.case.pk})
    # The case; the entries' ids, then their lines; the pages' ids, their lines,
    # then their snippets.
    with django_assert_max_num_queries(6):
        html = client.get(url + "?q=heron").content.decode()
    for i in range(3):
        assert f"Heron</mark> motion {i}" in html
    assert "secret" not in html and "restricted" not in html.lower()
    assert _doc_links(html) == {e.documents.get().pk for e in mixed["public"]}


def test_court_search_costs_five_statements_and_hides_sealed(
    world, mixed, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        html = client.get(reverse("dockets:search") + "?q=heron").content.decode()
    assert html.count("Heron</mark> notice") == 17  # 20 hits: 3 motions, 17 notices
    assert "secret" not in html and "restricted" not in html.lower()
    assert world.case.display_number in html
    assert _doc_links(html) == {e.documents.get().pk for e in mixed["public"]}


def test_document_page_and_download_cost_two_and_one_statements(
    world, mixed, client, django_assert_max_num_queries
):
    document = mixed["public"][0].documents.get()
    with django_assert_max_num_queries(2):
        page = client.get(reverse("dockets:document", args=[document.pk]))
    assert page.status_code == 200
    assert mixed["public"][0].text in page.content.decode()
    with django_assert_max_num_queries(1):
        download = client.get(reverse("dockets:document-download", args=[document.pk]))
    assert download.status_code == 200
    for hidden in (mixed["sealed"], mixed["restricted"]):
        secret = hidden.documents.get()
        assert (
            client.get(reverse("dockets:document", args=[secret.pk])).status_code == 404
        )
        assert (
            client.get(
                reverse("dockets:document-download", args=[secret.pk])
            ).status_code
            == 404
        )


def test_every_docket_page_costs_four_statements_and_seals_its_rows(
    world, mixed, client, django_assert_max_num_queries
):
    """First, next, previous and last pages, both orders (the compiled queries) and a
    number range (the ORM's): four statements each; the sealed row keeps its place
    without its text or links."""
    bulk_entries(world.case, 240)
    base = reverse("dockets:docket", kwargs={"case_id": world.case.pk})
    sealed_doc = mixed["sealed"].documents.get().pk
    seen = 0
    for sort in ("oldest", "newest"):
        url = f"{base}?sort={sort}"
        pages = 0
        while url:
            with django_assert_max_num_queries(4):
                html = client.get(url).content.decode()
            assert "Heron secret" not in html
            assert f"/documents/{sealed_doc}/" not in html
            seen += html.count("**SEALED DOCUMENT**")
            pages += 1
            match = re.search(r'href="(\?[^"]*after=\d+)">Next page', html)
            url = base + match.group(1).replace("&amp;", "&") if match else ""
        assert pages == 3
        with django_assert_max_num_queries(4):
            last = client.get(f"{base}?sort={sort}&page=last").content.decode()
        match = re.search(r'href="(\?[^"]*before=\d+)">Previous page', last)
        assert match
        with django_assert_max_num_queries(4):
            previous = client.get(base + match.group(1).replace("&amp;", "&"))
        assert "Docket Text" in previous.content.decode()
    assert seen == 2
    with django_assert_max_num_queries(4):
        ranged = client.get(f"{base}?number_from=2&number_to=4").content.decode()
    assert "Heron motion 1" in ranged and "Heron motion 0" not in ranged


def test_search_hits_escape_what_filers_typed(
    world, mixed, client, django_assert_max_num_queries
):
    """The hit lines are built in Python: a case title and a document description
    with markup print as text, on both lists."""
    from cases.models import Case
    from dockets.models import Document

    Case.objects.filter(pk=world.case.pk).update(title="Heron <b>Bold</b> & Co")
    Document.objects.filter(pk=mixed["public"][0].documents.get().pk).update(
        description='Exhibit "<i>one</i>"'
    )
    url = reverse("dockets:case-search-text", kwargs={"case_id": world.case.pk})
    html = client.get(url + "?q=heron").content.decode()
    assert "<b>Bold</b>" not in html and "<i>one</i>" not in html
    assert "Heron &lt;b&gt;Bold&lt;/b&gt; &amp; Co</a>" in html
    assert "Exhibit &quot;&lt;i&gt;one&lt;/i&gt;&quot;</a>, page 1" in html
    entry = mixed["public"][2]
    assert (
        f"· Doc {entry.number} · filed {entry.filed_date:%m/%d/%Y} · {entry.event.name}</p>"
        in html
    )


def test_the_docket_links_and_options_follow_the_language_and_the_options(
    world, client
):
    """The links and the options form are rendered once per case, language and
    options: each reader still gets their language and their own options back."""
    url = reverse("dockets:docket", kwargs={"case_id": world.case.pk})
    for _ in range(2):
        english = client.get(url).content.decode()
        assert "Report options" in english and "Search this docket" in english
        spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "Opciones del informe" in spanish and "Report options" not in spanish
        assert "Buscar en este expediente" in spanish
    narrowed = client.get(
        url + "?sort=newest&number_from=2&number_to=9&parties=0&submitted=1"
    ).content.decode()
    assert 'value="newest" selected' in narrowed
    assert 'name="number_from" value="2"' in narrowed
    assert "number_from=2&amp;number_to=9" in narrowed  # the CSV link keeps them
    assert 'id="parties" name="parties" value="1">' in narrowed  # unchecked
    bad = client.get(url + "?number_from=x").content.decode()
    assert '<details class="report-options" open>' in bad
    assert '<details class="report-options">' in client.get(url).content.decode()


def test_docket_rows_escape_what_filers_typed(world, file_entry, client):
    """The rows are built in Python: markup in docket text and attachment names prints
    as text."""
    file_entry(
        world.case,
        "msj",
        world.users["attorney"],
        text_override='Motion <b>bold</b> & "quoted"',
        attachments=["Exhibit <i>A</i>"],
    )
    html = client.get(
        reverse("dockets:docket", kwargs={"case_id": world.case.pk})
    ).content.decode()
    assert "<b>bold</b>" not in html and "<i>A</i>" not in html
    assert "Motion &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;" in html
    assert "# 1 Exhibit &lt;i&gt;A&lt;/i&gt;</a>" in html
