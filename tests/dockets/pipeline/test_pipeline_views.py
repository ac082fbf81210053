"""The pipeline's pages through the test client: documents, downloads, notice links,
verification, the receipt, "add this case", and the clerk's lists."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pipeline_helpers import file_entry

from cases.models import CaseWatch
from dockets.models import Document, NoticeRecipient, Visibility
from dockets.pipeline.services import mark_document_failed

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(pcase, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(pcase, tmp_path)
    return entry


def _doc(entry) -> Document:
    return entry.documents.get()


def test_document_page_shows_stamp_and_both_digests(client, filed):
    document = _doc(filed)
    response = client.get(
        reverse("dockets:document", kwargs={"document_id": document.pk})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"CASBStamp_ID={document.stamp_id}" in body
    assert document.sha512 in body
    assert document.stamped_sha512 in body
    assert "Download the stamped copy" in body


def test_download_serves_stamped_copy_unless_original_asked(client, filed):
    document = _doc(filed)
    url = reverse("dockets:document-download", kwargs={"document_id": document.pk})
    stamped = client.get(url)
    assert stamped.status_code == 200
    assert (
        hashlib.sha512(b"".join(stamped.streaming_content)).hexdigest()
        == document.stamped_sha512
    )
    disposition = stamped["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"doc{filed.number}.pdf" in disposition
    original = client.get(url + "?original=1")
    assert (
        hashlib.sha512(b"".join(original.streaming_content)).hexdigest()
        == document.sha512
    )
    assert "original" in original["Content-Disposition"]


@pytest.mark.parametrize(
    ("visibility", "who", "status"),
    [
        (Visibility.PUBLIC, None, 200),
        (Visibility.RESTRICTED, None, 404),
        (Visibility.RESTRICTED, "public", 404),
        (Visibility.RESTRICTED, "trustee", 200),
        (Visibility.SEALED, "attorney", 404),
        (Visibility.SEALED, "clerk", 200),
    ],
)
def test_download_follows_visibility(
    client, pcase, tmp_path, django_capture_on_commit_callbacks, visibility, who, status
):
    """Restricted documents open for case participants; sealed ones for court users only."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(pcase, tmp_path, visibility=visibility)
    if who:
        client.force_login(pcase.users[who])
    response = client.get(
        reverse("dockets:document-download", kwargs={"document_id": _doc(entry).pk})
    )
    assert response.status_code == status


def test_notice_link_records_the_opening_and_shows_a_public_document(client, filed):
    recipient = filed.notices.get().recipients.get(email="trustee@ecf.test")
    document = _doc(filed)
    url = reverse(
        "dockets:notice-link",
        kwargs={"token": recipient.token, "document_id": document.pk},
    )
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "dockets:document", kwargs={"document_id": document.pk}
    )
    recipient.refresh_from_db()
    first = recipient.opened_at
    assert first is not None
    client.get(url)
    recipient.refresh_from_db()
    assert recipient.opened_at == first


def test_notice_link_for_restricted_document_needs_an_entitled_login(
    client, pcase, tmp_path, django_capture_on_commit_callbacks
):
    """The token grants nothing: a restricted document asks for login, then checks entitlement."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(pcase, tmp_path, visibility=Visibility.RESTRICTED)
    recipient = entry.notices.get().recipients.get(email="trustee@ecf.test")
    url = reverse(
        "dockets:notice-link",
        kwargs={"token": recipient.token, "document_id": _doc(entry).pk},
    )
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    recipient.refresh_from_db()
    assert recipient.opened_at is None
    client.force_login(pcase.users["public"])
    assert client.get(url).status_code == 404
    client.force_login(pcase.users["trustee"])
    assert client.get(url).status_code == 302
    recipient.refresh_from_db()
    assert recipient.opened_at is not None


def test_sealed_document_never_opens_from_a_link(
    client, pcase, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(pcase, tmp_path, visibility=Visibility.SEALED)
    recipient = entry.notices.get().recipients.first()
    assert recipient is not None
    client.force_login(pcase.users["clerk"])
    url = reverse(
        "dockets:notice-link",
        kwargs={"token": recipient.token, "document_id": _doc(entry).pk},
    )
    response = client.get(url)
    assert response.status_code == 403
    assert "cannot be opened from a notice link" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.opened_at is None


def test_unknown_token_is_not_found(client, filed):
    url = reverse(
        "dockets:notice-link", kwargs={"token": "nope", "document_id": _doc(filed).pk}
    )
    assert client.get(url).status_code == 404


def test_verify_accepts_the_original_or_the_stamped_copy(client, filed):
    document = _doc(filed)
    url = reverse("dockets:verify")
    with default_storage.open(document.stamped.name, "rb") as fh:
        response = client.post(url, {"file": fh})
    assert response.status_code == 200
    assert "stamped copy" in response.content.decode()
    response = client.post(url, {"digest": document.sha512.upper()})
    assert "original as filed" in response.content.decode()
    response = client.post(url, {"digest": "0" * 128})
    assert "No filed document matches" in response.content.decode()


@pytest.mark.parametrize(
    ("digest", "message"),
    [
        ("", "Choose a PDF file"),
        ("abc", "128 characters"),
        ("z" * 128, "128 characters"),
    ],
)
def test_verify_explains_bad_input(client, digest, message):
    response = client.post(reverse("dockets:verify"), {"digest": digest})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_receipt_shows_each_recipients_delivery(
    client, pcase, filed, django_assert_max_num_queries
):
    """The filer sees who the NEF was sent to, what bounced and what was opened."""
    from dockets.pipeline.services import mark_bounced, record_open

    notice = filed.notices.get()
    record_open(recipient=notice.recipients.get(email="trustee@ecf.test"))
    mark_bounced(recipient=notice.recipients.get(email="ustrustee@ecf.test"))
    client.force_login(pcase.users["attorney"])
    url = reverse("dockets:entry-receipt", kwargs={"entry_id": filed.pk})
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    rows = {
        row.split("</td>")[1].strip().removeprefix("<td>"): row
        for row in body.split("<tr>")[1:]
        if "@" in row
    }
    assert "Opened " in rows["trustee@ecf.test"]
    assert "Bounced" in rows["ustrustee@ecf.test"]
    assert "Sent" in rows["attorney2@ecf.test"]
    assert "Not opened" in rows["attorney2@ecf.test"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("attorney", 200), ("clerk", 200), ("attorney2", 404), ("public", 404)],
)
def test_receipt_is_for_the_filer_and_the_court(client, pcase, filed, who, status):
    client.force_login(pcase.users[who])
    assert (
        client.get(
            reverse("dockets:entry-receipt", kwargs={"entry_id": filed.pk})
        ).status_code
        == status
    )


def test_add_case_to_account(client, pcase):
    url = reverse("dockets:case-add", kwargs={"case_id": pcase.case.pk})
    assert client.post(url).status_code == 302  # to the login page
    assert not CaseWatch.objects.exists()
    client.force_login(pcase.users["creditor"])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert CaseWatch.objects.filter(
        case=pcase.case, user=pcase.users["creditor"], kind="added"
    ).exists()
    client.post(url)
    assert CaseWatch.objects.count() == 1
    assert client.get(url).status_code == 405


def test_public_user_without_filer_account_cannot_add_a_case(client, pcase):
    client.force_login(pcase.users["public"])
    response = client.post(
        reverse("dockets:case-add", kwargs={"case_id": pcase.case.pk}), follow=True
    )
    assert "Only filer accounts" in response.content.decode()
    assert not CaseWatch.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("clerk", 200), ("judge", 200), ("attorney", 404), (None, 302)]
)
def test_clerk_pages_are_for_court_users(client, pcase, who, status):
    if who:
        client.force_login(pcase.users[who])
    for name in ("dockets:pipeline-failures", "dockets:bounces"):
        assert client.get(reverse(name)).status_code == status


def test_clerk_sees_failed_document_and_retries_it(
    client, pcase, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = file_entry(pcase, tmp_path, code="extime")
    document = _doc(entry)
    mark_document_failed(
        document_id=document.pk, reason="The file store was unreachable"
    )
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    client.force_login(pcase.users["clerk"])
    page = client.get(reverse("dockets:pipeline-failures")).content.decode()
    assert "The file store was unreachable" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dockets:pipeline-retry"),
            {"kind": "document", "id": document.pk},
            follow=True,
        )
    assert "queued for stamping again" in response.content.decode()
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    response = client.post(
        reverse("dockets:pipeline-retry"),
        {"kind": "document", "id": document.pk},
        follow=True,
    )
    assert "not waiting for a retry" in response.content.decode()
    response = client.post(
        reverse("dockets:pipeline-retry"), {"kind": "x", "id": "abc"}, follow=True
    )
    assert "Choose a document or notice" in response.content.decode()


def test_bounces_page_lists_flagged_accounts(client, pcase, filed):
    from dockets.pipeline.services import record_bounce

    record_bounce(email="trustee@ecf.test")
    client.force_login(pcase.users["clerk"])
    body = client.get(reverse("dockets:bounces")).content.decode()
    assert "Gerald H. Davis" in body
    assert "trustee@ecf.test" in body
    assert NoticeRecipient.objects.filter(status="bounced").count() == 1


def test_case_add_button_partial(rf, pcase):
    """The partial the case pages include: a button for filers, nothing for the public."""
    from django.template.loader import render_to_string

    request = rf.get("/cases/1/")
    request.user = pcase.users["creditor"]
    html = render_to_string(
        "dockets/pipeline/_case_add.html",
        {"case": pcase.case, "request": request, "user": request.user},
    )
    assert reverse("dockets:case-add", kwargs={"case_id": pcase.case.pk}) in html
    assert "Add this case to my account" in html
    html = render_to_string(
        "dockets/pipeline/_case_add.html",
        {
            "case": pcase.case,
            "request": request,
            "user": request.user,
            "case_added": True,
        },
    )
    assert "This case is on your account" in html
    request.user = pcase.users["public"]
    html = render_to_string(
        "dockets/pipeline/_case_add.html",
        {"case": pcase.case, "request": request, "user": request.user},
    )
    assert "Add this case" not in html


def test_clerk_lists_take_a_fixed_number_of_queries(
    client,
    pcase,
    tmp_path,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    from dockets.pipeline.services import mark_notice_failed, record_bounce

    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            entry = file_entry(pcase, tmp_path)
        mark_document_failed(
            document_id=_doc(entry).pk, reason="The file store was unreachable"
        )
        with django_capture_on_commit_callbacks(execute=True):
            for callback in callbacks:
                callback()
        mark_notice_failed(notice_id=entry.notices.get().pk, reason="Mail server down")
    with django_capture_on_commit_callbacks(execute=True):
        file_entry(pcase, tmp_path)
    record_bounce(email="trustee@ecf.test")
    record_bounce(email="attorney@ecf.test")
    client.force_login(pcase.users["clerk"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("dockets:pipeline-failures")).content.decode()
    assert page.count("The file store was unreachable") == 4
    assert page.count("Mail server down") == 4
    with django_assert_max_num_queries(12):
        page = client.get(reverse("dockets:bounces")).content.decode()
    assert "attorney@ecf.test" in page
