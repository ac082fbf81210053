"""The sealing order's allow-list: the clerk names who besides the court may read a
sealed entry. The gate (dockets.permissions) reads the rows, so every route follows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent
from dockets.clerk import services
from dockets.models import DocketEntry, SealAllowance, Visibility
from dockets.permissions import can_see_entry_text, can_view_document
from dockets.selectors import readable_entry_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(world, file_entry):
    entry = file_entry(world.case, "msj", world.users["attorney"])
    services.set_entry_visibility(
        entry=entry,
        clerk=world.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order #12",
    )
    entry.refresh_from_db()
    return entry


def _sees(user, entry) -> bool:
    document = entry.documents.get()
    in_sql = (
        DocketEntry.objects.filter(pk=entry.pk)
        .filter(readable_entry_q(user, entry.case))
        .exists()
    )
    gate = can_see_entry_text(user, entry), can_view_document(user, document)
    assert gate == (in_sql, in_sql), "the SQL selector and the gate disagree"
    return in_sql


def test_sealed_entry_reaches_only_the_court_by_default(world, sealed):
    """With no one on the order's list, the attorney who filed it sees SEALED only."""
    assert _sees(world.users["clerk"], sealed)
    assert not _sees(world.users["attorney"], sealed)
    assert not _sees(world.users["creditor"], sealed)


def test_allow_list_opens_to_the_named_user_only_and_removal_revokes(world, sealed):
    """The creditor named by the order reads it; the debtor's attorney still doesn't;
    removing the creditor ends the access at once. Both changes are audited."""
    clerk, creditor, attorney = (
        world.users["clerk"],
        world.users["creditor"],
        world.users["attorney"],
    )
    candidates = dict(services.seal_allow_list_candidates(sealed))
    assert creditor.pk in candidates and attorney.pk in candidates
    allowance = services.allow_sealed_entry(
        entry=sealed, clerk=clerk, user=creditor, reason="Order #13"
    )
    assert _sees(creditor, sealed)
    assert not _sees(attorney, sealed)
    assert not _sees(world.users["public"], sealed)
    assert creditor.pk not in dict(services.seal_allow_list_candidates(sealed))
    with pytest.raises(services.UserFacingError):
        services.allow_sealed_entry(
            entry=sealed, clerk=clerk, user=creditor, reason="Order #13"
        )
    services.revoke_sealed_entry_allowance(
        entry=sealed, clerk=clerk, allowance_id=allowance.pk, reason="Order #14"
    )
    assert not _sees(creditor, sealed)
    actions = set(
        AuditEvent.objects.filter(case_id=world.case.pk).values_list(
            "action", flat=True
        )
    )
    assert {
        "dockets.entry.seal_allowance_added",
        "dockets.entry.seal_allowance_removed",
    } <= actions


def test_court_only_entries_ignore_the_list(world, sealed):
    """The list follows a sealing order; a court-only entry stays the court's."""
    creditor = world.users["creditor"]
    services.allow_sealed_entry(
        entry=sealed, clerk=world.users["clerk"], user=creditor, reason="Order #13"
    )
    services.set_entry_visibility(
        entry=sealed,
        clerk=world.users["clerk"],
        visibility=Visibility.COURT,
        reason="Court only",
    )
    sealed.refresh_from_db()
    assert not can_see_entry_text(creditor, sealed)
    assert not can_view_document(creditor, sealed.documents.get())


def test_clerk_page_adds_by_email_and_download_follows(world, sealed, client):
    """Through the clerk's page: add by e-mail, the download opens for that user only,
    then remove it; bad input changes nothing."""
    clerk, creditor = world.users["clerk"], world.users["creditor"]
    document = sealed.documents.get()
    download = reverse("dockets:document-download", args=[document.pk])
    client.force_login(creditor)
    assert client.get(download).status_code == 404

    client.force_login(clerk)
    page = reverse("dockets:entry-visibility", args=[sealed.pk])
    response = client.get(page)
    assert response.status_code == 200
    assert b"Who the sealing order lets read it" in response.content
    allow = reverse("dockets:entry-seal-allow", args=[sealed.pk])
    bad = client.post(allow, {"allow-email": creditor.email, "allow-reason": ""})
    assert bad.status_code == 400 and not SealAllowance.objects.exists()
    both = client.post(
        allow,
        {
            "allow-email": creditor.email,
            "allow-participant": str(world.users["attorney"].pk),
            "allow-reason": "Order #13",
        },
    )
    assert both.status_code == 400 and not SealAllowance.objects.exists()
    nobody = client.post(
        allow, {"allow-email": "nobody@example.com", "allow-reason": "Order #13"}
    )
    assert nobody.status_code == 400 and b"No registered" in nobody.content
    ok = client.post(
        allow, {"allow-email": creditor.email.upper(), "allow-reason": "Order #13"}
    )
    assert ok.status_code == 302
    allowance = SealAllowance.objects.get()
    assert allowance.user == creditor and allowance.added_by == clerk

    client.force_login(creditor)
    assert client.post(allow, {"allow-email": creditor.email}).status_code == 404
    got = client.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content if got.streaming else [got.content])[:5] == (
        b"%PDF-"
    )

    client.force_login(clerk)
    revoke = reverse("dockets:entry-seal-revoke", args=[sealed.pk])
    assert client.post(revoke, {"allowance": allowance.pk}).status_code == 400
    assert SealAllowance.objects.exists()
    assert (
        client.post(
            revoke, {"allowance": allowance.pk, "reason": "Order #14"}
        ).status_code
        == 302
    )
    client.force_login(creditor)
    assert client.get(download).status_code == 404


def test_filers_receipt_follows_the_seal_and_the_list(world, sealed, client):
    """The filer's own receipt shows SEALED once the clerk seals the entry, and the text
    again only when the order names the filer."""
    attorney = world.users["attorney"]
    receipt = reverse("dockets:filing-receipt", args=[sealed.pk])
    client.force_login(attorney)
    page = client.get(receipt).content.decode()
    assert sealed.text not in page and "SEALED" in page
    services.allow_sealed_entry(
        entry=sealed, clerk=world.users["clerk"], user=attorney, reason="Order #13"
    )
    assert sealed.text in client.get(receipt).content.decode()
