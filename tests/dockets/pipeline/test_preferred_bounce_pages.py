"""Issue #25's check, through the pages: a creditor registers a court-wide preferred
e-mail address (11 U.S.C. 342(f)) on its page, the clerk confirms it there, a filing's
NEF goes to it, the mail server bounces it (`manage.py record_bounce`, as the provider's
hook does), and a paper notice is queued to the preferred mailing address while the
clerk sees a task on the preferred-addresses page and the bounce on the bounces page."""

import pytest
from django.core.management import call_command
from pipeline_helpers import file_entry

from cases.preferred import PreferredAddress
from dockets.models import NoticeRecipient

pytestmark = pytest.mark.django_db


def test_a_bounced_preferred_email_becomes_a_paper_notice_and_a_clerk_task(
    pcase, client, tmp_path, django_capture_on_commit_callbacks
):
    users = pcase.users
    pcase.bank.representations.update(notice=False)
    client.force_login(users["creditor"])
    registered = client.post(
        "/cases/preferred-addresses/",
        {
            "creditor_name": "Coastal Federal Credit Union",
            "email": "notices@coastal.test",
            "address": "Coastal FCU Bankruptcy Notices\nP.O. Box 5555\nDenver, CO 80201",
        },
    )
    assert registered.status_code == 302, registered.content.decode()[:2000]
    row = PreferredAddress.objects.get()
    client.force_login(users["clerk"])
    assert (
        client.post("/cases/preferred-addresses/", {"confirm": row.pk}).status_code
        == 302
    )

    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(pcase, tmp_path)
    emailed = NoticeRecipient.objects.get(
        notice__entry=entry, email="notices@coastal.test"
    )
    assert emailed.status == NoticeRecipient.Status.SENT

    call_command("record_bounce", "notices@coastal.test", reason="550 no such user")

    paper = NoticeRecipient.objects.get(
        notice__entry=entry,
        method=NoticeRecipient.Method.PAPER,
        name="Coastal Federal Credit Union",
    )
    assert paper.status == NoticeRecipient.Status.QUEUED_PAPER
    assert paper.address_lines[:2] == [
        "Coastal FCU Bankruptcy Notices",
        "P.O. Box 5555",
    ]
    assert "342(f)" in paper.on_behalf_of
    page = client.get("/cases/preferred-addresses/").content.decode()
    assert "Bounced preferred e-mail addresses" in page
    assert "notices@coastal.test" in page
    bounces = client.get("/clerk/bounces/")
    assert bounces.status_code == 200
    assert "notices@coastal.test" in bounces.content.decode()
