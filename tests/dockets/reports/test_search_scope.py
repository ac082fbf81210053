"""The in-case search answers from one case and from what the viewer may read, whatever
plan the database picks: a common word (read newest first from the case's btree and
stopped after a page) and a rare word (found through the text index) both give
exactly the case's readable entries, newest first, page after page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from reports_helpers import bulk_entries

from dockets.clerk import services as clerk
from dockets.models import DocketEntry, Visibility
from dockets.reports.entry_search import search_entries
from dockets.reports.selectors import participant_for

pytestmark = pytest.mark.django_db


def _all_hits(user, q, case, participant=False) -> list[int]:
    """Every hit of the search, following the "older results" cursor page by page."""
    ids: list[int] = []
    after = ""
    for _ in range(50):
        page = search_entries(
            user=user, q=q, case=case, participant=participant, after=after, limit=7
        )
        ids += [hit.entry.pk for hit in page.hits]
        if not page.next_cursor:
            return ids
        after = page.next_cursor
    raise AssertionError("the cursor never ended")


def _newest_first(ids) -> list[int]:
    return list(
        DocketEntry.objects.filter(pk__in=ids)
        .order_by("-filed_at", "-id")
        .values_list("pk", flat=True)
    )


@pytest.fixture
def scoped(world, other_case, file_entry):
    """Case A with public, sealed and restricted matches; case B with public ones."""
    other = other_case
    attorney = world.users["attorney"]
    common = [e.pk for e in bulk_entries(world.case, 30, text="Notice of heron")]
    # Entries without the words between them, so a page walk has rows to skip.
    bulk_entries(world.case, 40, text="Notice of change of address", start_days_ago=399)
    rare = file_entry(world.case, "msj", attorney, text_override="Motion on kingfisher")
    sealed = file_entry(
        world.case, "msj", attorney, text_override="Sealed heron kingfisher deal"
    )
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
        text_override="Restricted heron kingfisher schedule",
        visibility=Visibility.RESTRICTED,
    )
    bulk_entries(other, 12, text="Notice of heron")
    file_entry(other, "msj", attorney, text_override="Other kingfisher motion")
    return {
        "common": common,
        "rare": rare.pk,
        "sealed": sealed.pk,
        "restricted": restricted.pk,
    }


def test_in_case_search_gives_the_case_readable_entries_only(world, scoped):
    case = world.case
    public = AnonymousUser()
    assert _all_hits(public, "heron", case) == _newest_first(scoped["common"])
    assert _all_hits(public, "kingfisher", case) == [scoped["rare"]]
    assert _all_hits(public, "pelican", case) == []

    attorney = world.users["attorney"]
    assert participant_for(attorney, case)
    readable = [*scoped["common"], scoped["restricted"]]
    assert _all_hits(attorney, "heron", case, participant=True) == _newest_first(
        readable
    )
    assert _all_hits(attorney, "kingfisher", case, participant=True) == _newest_first(
        [scoped["rare"], scoped["restricted"]]
    )

    clerk_user = world.users["clerk"]
    everything = [*scoped["common"], scoped["sealed"], scoped["restricted"]]
    assert _all_hits(clerk_user, "heron", case) == _newest_first(everything)
    assert _all_hits(clerk_user, "kingfisher", case) == _newest_first(
        [scoped["rare"], scoped["sealed"], scoped["restricted"]]
    )
