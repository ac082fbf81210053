"""The security tests' shared data (imported by the tests that use `world`; not a conftest.py,
which would shadow tests/conftest.py for `from conftest import ...`). Built once per module."""

import datetime as dt
from pathlib import Path

import pytest
from access_matrix import SEALED_TEXT
from django.db import transaction
from django.utils import timezone
from seckit import file_pdf_entry, make_case


@pytest.fixture(scope="module", name="world")
def world_fixture(django_db_setup, django_db_blocker):
    """The matrix's data, built once per module inside a transaction rolled back at the end."""
    from factories import seed_court_and_users

    from cases.models import Party
    from cases.services import PartyData, add_party, associate_attorney
    from dockets.filing.models import Draft
    from dockets.models import Visibility

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo = seed_court_and_users()
            users = demo.users
            own = make_case(demo.court, title="Matrix Own Debtor")
            debtor = add_party(
                case=own,
                data=PartyData(
                    role=Party.Role.DEBTOR,
                    name="Matrix Own Debtor",
                    city="San Diego",
                    state="CA",
                    zip_code="92101",
                ),
            )
            associate_attorney(case=own, party=debtor, attorney=users["attorney"])
            other = make_case(demo.court, title="Matrix Other Debtor")
            own_entry = file_pdf_entry(own, users["attorney"])
            sealed_entry = file_pdf_entry(
                other, users["clerk"], visibility=Visibility.SEALED, text=SEALED_TEXT
            )
            from dockets.models import DocketEntry

            DocketEntry.objects.filter(pk=sealed_entry.pk).update(
                text=f"Sealed order {SEALED_TEXT}"
            )
            restricted_entry = file_pdf_entry(
                other, users["clerk"], visibility=Visibility.RESTRICTED
            )
            draft = Draft.objects.create(
                owner=users["attorney"],
                principal=users["attorney"],
                case=own,
                expires_at=timezone.now() + dt.timedelta(days=14),
            )
            from dockets.claims.services import ClaimData, file_claim

            claim = file_claim(
                case=other,
                filer=users["creditor"],
                data=ClaimData(
                    creditor_name="Matrix Creditor Bank",
                    creditor_address="P.O. Box 9000\nSan Diego, CA 92169",
                    creditor_phone="619-555-0100",
                    basis="Money loaned",
                    amount_cents=100_000,
                    secured_cents=0,
                    priority_cents=0,
                    unsecured_cents=100_000,
                    account_last4="1234",
                    signer_name="Pat Creditor",
                ),
            ).claim
            from dockets.claims.models import ClaimTransfer

            transfer = ClaimTransfer.objects.create(
                claim=claim,
                entry=own_entry,
                transferor=claim.holder,
                transferee_name="Matrix Transferee LLC",
                filed_by=users["attorney"],
                objection_deadline=dt.date(2099, 1, 1),
            )
            from cases.models import Trustee

            ust_office = Trustee.objects.get(
                court=demo.court, kind=Trustee.Kind.US_TRUSTEE
            )
            ust_member = ust_office.members.first()
            attorney_filer = users["attorney"].filer_or_none
            assert ust_member is not None and attorney_filer is not None
            data = {
                "users": users,
                "ust_office": ust_office.pk,
                "ust_member": ust_member.pk,
                "own_case": own.pk,
                "sealed_case_id": other.pk,
                "own_entry": own_entry.pk,
                "sealed_entry": sealed_entry.pk,
                "restricted_entry": restricted_entry.pk,
                "public_document": own_entry.documents.get().pk,
                "sealed_document": sealed_entry.documents.get().pk,
                "restricted_document": restricted_entry.documents.get().pk,
                "sealed_file": Path(sealed_entry.documents.get().original.name).name,
                "attorney_draft": draft.pk,
                "creditor_claim": claim.pk,
                "claim_transfer": transfer.pk,
                "attorney_filer": attorney_filer.pk,
                "attorney_user": users["attorney"].pk,
                "trainee_user": users["trainee"].pk,
            }
            yield data
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
