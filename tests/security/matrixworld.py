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
            trainee_filer = users["trainee"].filer_or_none
            assert ust_member is not None and attorney_filer is not None
            assert trainee_filer is not None
            owned = _objects_of_other_users(demo, users, own, own_entry, debtor, claim)
            status_users = _status_users(demo, other)
            data = {
                **owned,
                "users": users,
                "status_users": status_users,
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
                "trainee_filer": trainee_filer.pk,
            }
            yield data
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# Accounts whose role would open pages if a role were enough, each with two-factor set
# up and (trustee, U.S. Trustee) linked to the other case's records: only the status
# stands between them and the role's pages (access_matrix.STATUS_ROLES).
def _status_users(demo, other_case) -> dict:
    from access_matrix import STATUS_ROLES, STATUSES
    from allauth.mfa.totp.internal.auth import TOTP

    from cases.models import Trustee
    from filers.models import Filer, User

    out = {}
    for status in STATUSES:
        for role in STATUS_ROLES:
            user = User.objects.create_user(
                email=f"{status}-{role}@matrix.test",
                password="x",
                full_name=f"{status.title()} {role.replace('_', ' ').title()}",
            )
            Filer.objects.create(user=user, role=role, status=status)
            TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
            if role == "trustee":
                other_case.trustee.members.add(user)
            elif role == "us_trustee":
                Trustee.objects.get(
                    court=demo.court, kind=Trustee.Kind.US_TRUSTEE
                ).members.add(user)
            out[(status, role)] = user
    return out


def _objects_of_other_users(demo, users, own, own_entry, debtor, claim) -> dict:
    """Real objects, each owned by one matrix user, for the rows that take an id: the
    owner is answered, every other user gets the same answer as for a missing id."""
    from core.models import InboxMessage
    from dockets.alerts.models import Alert, Webhook, WebhookDelivery
    from dockets.api.services import create_api_token
    from dockets.claims.batch_models import ClaimBatch
    from dockets.claims.models import ClaimVersion
    from dockets.clerk.models import Deficiency
    from dockets.models import Payment
    from filers.models import AgentLink

    attorney, creditor = users["attorney"], users["creditor"]
    message = InboxMessage.objects.create(
        user=attorney,
        to_email=attorney.email,
        subject="NEF: Matrix Own Debtor Doc 1",
        body_text="Notice of Electronic Filing for the attorney only",
        kind="nef",
    )
    link = AgentLink.objects.get(
        agent=users["agent"].filer, principal=attorney.filer, active=True
    )
    payment = Payment.objects.create(
        entry=own_entry, payer=attorney, amount_cents=3_400
    )
    alert = Alert.objects.create(user=attorney, kind=Alert.Kind.CASE, case=own)
    webhook = Webhook.objects.create(
        user=attorney, url="https://hooks.matrix.test/ecf", secret="s" * 40
    )
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        key="matrix-1",
        event="entry.filed",
        payload="{}",
        status=WebhookDelivery.Status.FAILED,
    )
    deficiency = Deficiency.objects.create(
        case=own,
        entry=own_entry,
        notice_entry=file_pdf_entry(own, users["clerk"], text="Notice of deficiency"),
        kind="signature",
        cure_by=dt.date(2099, 1, 1),
        issued_by=users["clerk"],
    )
    token, _secret = create_api_token(
        user=attorney, name="matrix", scopes=["read"], days=1
    )
    batch = ClaimBatch.objects.create(
        filer=creditor, batch_id="MATRIX-1", sha256="0" * 64
    )
    version = ClaimVersion.objects.filter(claim=claim).first()
    assert version is not None and version.entry is not None
    claim_document = version.entry.documents.first()
    assert claim_document is not None
    return {
        "attorney_message": message.pk,
        "agent_link": link.pk,
        "own_debtor": debtor.pk,
        "attorney_payment": payment.pk,
        "attorney_alert": alert.pk,
        "attorney_webhook": webhook.pk,
        "attorney_delivery": delivery.pk,
        "own_deficiency": deficiency.pk,
        "attorney_token": token.pk,
        "creditor_batch": batch.pk,
        "claim_document": claim_document.pk,
    }
