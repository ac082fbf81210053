"""RSS feeds of docket activity, in CM/ECF's rss_outside.pl item format (cmecf.md 6.5).

Channel title "<District> - Recent Entries"; each item: title `<case no> <case name>`,
link to the docket report, description `Type: bk Office: 3 Chapter: 7 Trustee: <name>
[<Event name>] (<a href='…'><doc no></a>)`, guid `<docket url>-<seq>`, pubDate.
Feeds are fetched anonymously, so they carry the public view only
(reports.activity.feed_entries).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape

from cases.models import Case, Court
from cases.permissions import can_see_case

from .activity import feed_entries, public_main_document


class _Rss(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


def _district() -> str:
    court = Court.objects.filter(code=settings.ECF_COURT_ID).only("district").first()
    return court.district if court else settings.ECF_COURT_NAME


class CourtFeed(Feed):
    """The newest public entries of every case in the court."""

    feed_type = _Rss
    description = "Docket entries of type: all"

    def title(self, obj=None) -> str:
        return f"{_district()} - Recent Entries"

    def link(self, obj=None) -> str:
        return reverse("dockets:search")

    def get_object(self, request, *args, **kwargs):
        # The viewer: on training a trainee's feed shows only shared and own cases.
        return request.user

    def items(self, obj=None):
        return feed_entries(user=obj)

    def item_title(self, item) -> str:
        return f"{item.case.display_number} {item.case.title}"

    def item_link(self, item) -> str:
        return reverse("dockets:docket", kwargs={"case_id": item.case_id})

    def item_guid(self, item) -> str:
        return settings.ECF_SITE_URL.rstrip("/") + f"{self.item_link(item)}-{item.seq}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.filed_at

    def item_description(self, item) -> str:
        case = item.case
        trustee = case.trustee.name if case.trustee_id else ""
        head = (
            f"Type: {case.case_type} Office: {case.office.number} Chapter: {case.chapter} "
            f"Trustee: {escape(trustee)} [{escape(item.event.name)}]"
        )
        main = public_main_document(item)
        if main is not None and item.number:
            url = settings.ECF_SITE_URL.rstrip("/") + reverse(
                "dockets:document", kwargs={"document_id": main.pk}
            )
            head += f" (<a href='{escape(url)}'>{item.number}</a>)"
        elif item.number:
            head += f" ({item.number})"
        return head


class CaseFeed(CourtFeed):
    """The newest public entries of one case."""

    def get_object(self, request, case_id: int) -> Case:
        case = (
            Case.objects.select_related("court", "office", "judge", "trustee")
            .filter(pk=case_id)
            .first()
        )
        if case is None or not can_see_case(request.user, case):
            raise Http404
        return case

    def title(self, obj=None) -> str:
        return f"{_district()} - Recent Entries - {obj.display_number} {obj.title}"

    def link(self, obj=None) -> str:
        return reverse("dockets:docket", kwargs={"case_id": obj.pk})

    def items(self, obj=None):
        return feed_entries(obj)


court_feed = CourtFeed()
case_feed = CaseFeed()


class LegacyCourtFeed(CourtFeed):
    """rss_outside.pl: the court feed as CM/ECF writes it (cmecf.md 6.5;
    reference/cmecf-samples/rss_feeds_mdb_1.xml): each item links to
    `/cgi-bin/DktRpt.pl?<case id>`, its guid is `DktRpt.pl?<case id>-<de_seq_num>`, and its
    document link is `/doc1/<id>?pdf_header=&de_seq_num=<s>&caseid=<case id>`."""

    def link(self, obj=None) -> str:
        return "/"

    def item_link(self, item) -> str:
        return f"{reverse('dockets:legacy-dktrpt')}?{item.case_id}"

    def item_guid(self, item) -> str:
        return settings.ECF_SITE_URL.rstrip("/") + f"{self.item_link(item)}-{item.seq}"

    item_guid_is_permalink = True

    def item_description(self, item) -> str:
        case = item.case
        trustee = case.trustee.name if case.trustee_id else ""
        head = (
            f"Type: {case.case_type} Office: {case.office.number} Chapter: {case.chapter} "
            f"Trustee: {escape(trustee)} [{escape(item.event.name)}]"
        )
        main = public_main_document(item)
        if main is not None and item.number and main.cmecf_id:
            url = (
                settings.ECF_SITE_URL.rstrip("/")
                + reverse("dockets:legacy-doc1", kwargs={"cmecf_id": main.cmecf_id})
                + f"?pdf_header=&de_seq_num={item.seq}&caseid={item.case_id}"
            )
            head += f" (<a href='{escape(url)}'>{item.number}</a>)"
        elif item.number:
            head += f" ({item.number})"
        return head
