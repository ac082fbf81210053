"""Preferred notice addresses (11 U.S.C. 342(e)/(f)): notices go there, the source is shown,
and a bounced preferred e-mail address produces a paper notice and a clerk task."""

import pytest
from pipeline_helpers import file_entry

from cases.preferred import (
    BounceTask,
    PreferredAddress,
    confirm_preferred_address,
    register_preferred_address,
)
from core.errors import UserFacingError
from dockets.models import NoticeRecipient
from dockets.pipeline.delivery import record_bounce
from dockets.pipeline.services import recipients_for

pytestmark = pytest.mark.django_db

PREFERRED_LINES = [
    "Coastal FCU Bankruptcy Notices",
    "P.O. Box 5555",
    "Denver, CO 80201",
]


def _register(pcase):
    users = pcase.users
    # The credit union has no counsel with notice in this case: notices go to it directly.
    pcase.bank.representations.update(notice=False)
    mine = register_preferred_address(
        actor=users["creditor"],
        court=pcase.case.court,
        creditor_name="COASTAL FEDERAL CREDIT UNION",
        email="Notices@Coastal.test",
        address_lines=PREFERRED_LINES,
    )
    confirm_preferred_address(actor=users["clerk"], row=mine)
    register_preferred_address(
        actor=users["clerk"],
        court=pcase.case.court,
        case=pcase.case,
        creditor_name="Sharp Memorial Hospital",
        address_lines=[
            "Sharp Legal Dept",
            "8695 Spectrum Center Blvd",
            "San Diego, CA 92123",
        ],
    )


def test_notices_go_to_the_preferred_address_with_its_source(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    _register(pcase)
    with django_capture_on_commit_callbacks(execute=False):
        entry = file_entry(pcase, tmp_path)
    plan = recipients_for(entry)
    coastal = next(
        a for a in plan.electronic if a.name == "Coastal Federal Credit Union"
    )
    assert coastal.emails == ["notices@coastal.test"]
    assert coastal.on_behalf_of == [
        "Preferred address for all cases in this court (11 U.S.C. 342(f))"
    ]
    sharp = next(p for p in plan.paper if p.name == "Sharp Memorial Hospital")
    assert sharp.address_lines[0] == "Sharp Legal Dept"
    assert sharp.source == "Preferred address for this case (11 U.S.C. 342(e))"


def test_a_bounced_preferred_email_produces_a_paper_notice_and_a_clerk_task(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    _register(pcase)
    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(pcase, tmp_path)
    sent = NoticeRecipient.objects.get(
        notice__entry=entry, email="notices@coastal.test"
    )
    assert sent.status == NoticeRecipient.Status.SENT
    record_bounce(email="notices@coastal.test", reason="550 no such user")
    paper = NoticeRecipient.objects.get(
        notice__entry=entry,
        name="Coastal Federal Credit Union",
        method=NoticeRecipient.Method.PAPER,
    )
    assert paper.status == NoticeRecipient.Status.QUEUED_PAPER
    assert paper.address_lines == PREFERRED_LINES
    assert "342(f)" in paper.on_behalf_of and "bounced" in paper.on_behalf_of
    task = BounceTask.objects.get(case=pcase.case)
    assert "notices@coastal.test" in task.text and "P.O. Box 5555" in task.text
    # Until the creditor fixes it, later notices go to the preferred address by mail.
    with django_capture_on_commit_callbacks(execute=False):
        later = file_entry(pcase, tmp_path)
    coastal = next(
        p for p in recipients_for(later).paper if p.name.startswith("Coastal")
    )
    assert coastal.address_lines == PREFERRED_LINES


def test_a_registration_needs_an_address_and_the_right_person(pcase):
    with pytest.raises(UserFacingError, match="e-mail address, a mailing address"):
        register_preferred_address(
            actor=pcase.users["creditor"],
            court=pcase.case.court,
            creditor_name="X Bank",
        )
    with pytest.raises(UserFacingError, match="creditor or attorney, or the clerk"):
        register_preferred_address(
            actor=pcase.users["trustee"],
            court=pcase.case.court,
            creditor_name="X Bank",
            email="x@bank.test",
        )
    assert not PreferredAddress.objects.exists()


def test_a_filer_cannot_redirect_another_creditors_notices_without_the_clerk(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """A creditor's registration routes nothing until the clerk confirms it; a pending
    (uncertified) account cannot register at all."""
    from filers.models import Filer

    pcase.bank.representations.update(notice=False)
    row = register_preferred_address(
        actor=pcase.users["creditor"],
        court=pcase.case.court,
        creditor_name="Coastal Federal Credit Union",
        email="attacker@evil.test",
    )
    assert row.awaiting_clerk and not row.active
    with django_capture_on_commit_callbacks(execute=False):
        entry = file_entry(pcase, tmp_path)
    emails = [e for a in recipients_for(entry).electronic for e in a.emails]
    assert "attacker@evil.test" not in emails
    with pytest.raises(UserFacingError, match="Only the clerk's office confirms"):
        confirm_preferred_address(actor=pcase.users["creditor"], row=row)
    confirm_preferred_address(actor=pcase.users["clerk"], row=row)
    with django_capture_on_commit_callbacks(execute=False):
        later = file_entry(pcase, tmp_path)
    emails = [e for a in recipients_for(later).electronic for e in a.emails]
    assert "attacker@evil.test" in emails

    creditor = pcase.users["creditor"]
    Filer.objects.filter(user=creditor).update(status=Filer.Status.PENDING)
    creditor.refresh_from_db()
    with pytest.raises(UserFacingError, match="certified creditor"):
        register_preferred_address(
            actor=creditor,
            court=pcase.case.court,
            creditor_name="Sharp Memorial Hospital",
            email="x@evil.test",
        )


def test_creditor_and_clerk_register_on_the_page_and_the_clerk_sees_bounce_tasks(
    pcase, client
):
    client.force_login(pcase.users["creditor"])
    page = client.post(
        "/cases/preferred-addresses/",
        {
            "creditor_name": "Coastal Federal Credit Union",
            "case_number": pcase.case.display_number,
            "email": "case-notices@coastal.test",
        },
    )
    assert page.status_code == 302
    row = PreferredAddress.objects.get()
    assert row.case == pcase.case and row.registered_by == pcase.users["creditor"]
    assert row.awaiting_clerk and not row.active
    listing = client.get("/cases/preferred-addresses/").content.decode()
    assert "Case " in listing and "Waiting for the clerk" in listing
    # The creditor cannot confirm its own registration.
    assert (
        client.post("/cases/preferred-addresses/", {"confirm": row.pk}).status_code
        == 200
    )
    row.refresh_from_db()
    assert row.awaiting_clerk
    bad = client.post(
        "/cases/preferred-addresses/", {"creditor_name": "X", "case_number": "99-99999"}
    )
    assert "No case 99-99999" in bad.content.decode()
    client.force_login(pcase.users["clerk"])
    confirmed = client.post("/cases/preferred-addresses/", {"confirm": row.pk})
    assert confirmed.status_code == 302
    row.refresh_from_db()
    assert row.active and not row.awaiting_clerk
    client.force_login(pcase.users["trustee"])
    assert client.get("/cases/preferred-addresses/").status_code == 404


def test_the_case_s_own_preferred_address_wins_over_the_court_s(pcase):
    """preferred_addresses_for (compiled once per process): the case's own address
    (342(e)) over the court's (342(f)) for the same creditor; another case's, an
    inactive one and another court's are not read; the same rows as the ORM."""
    from factories import make_case

    from cases.preferred import _PREFERRED, _preferred_query, preferred_addresses_for

    case, court = pcase.case, pcase.case.court
    other = make_case(court, title="Another case", chapter="7")

    def row(name: str, *, on=None, active=True, email=""):
        return PreferredAddress.objects.create(
            court=court,
            case=on,
            creditor_name=name,
            name_key=name.lower(),
            email=email,
            address_lines=["1 Main St"],
            active=active,
            registered_by=pcase.users["clerk"],
        )

    court_wide = row("Acme Bank", email="court@acme.test")
    own = row("Acme Bank", on=case, email="case@acme.test")
    row("Acme Bank", on=other, email="other@acme.test")
    row("Zed Corp", active=False)
    lone = row("Lone Creditor")
    found = preferred_addresses_for(case)
    assert {k: v.pk for k, v in found.items()} == {
        "acme bank": own.pk,
        "lone creditor": lone.pk,
    }
    assert preferred_addresses_for(other)["acme bank"].email == "other@acme.test"
    PreferredAddress.objects.filter(pk=own.pk).update(active=False)
    assert preferred_addresses_for(case)["acme bank"].pk == court_wide.pk
    for case_id in (case.pk, other.pk, 10**9):
        fast, slow = _PREFERRED.all(case_id), list(_preferred_query(case_id))
        assert [r.pk for r in fast] == [r.pk for r in slow]
        for a, b in zip(fast, slow, strict=True):
            assert {
                f.attname: getattr(a, f.attname) for f in a._meta.concrete_fields
            } == {f.attname: getattr(b, f.attname) for f in b._meta.concrete_fields}
    assert _PREFERRED.all(10**9) == []
