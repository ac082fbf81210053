"""One normaliser for free text (core/text.py): every stored text field, every search."""

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import pre_save
from django.urls import reverse
from factories import petition_request

from core.text import normalize

HOSTILE = "Ana\r\nRuiz\x00\x07\x1b[31m Cafe\u0301\u2028Ltd\x85\x9f"
PROJECT_APPS = {"core", "filers", "cases", "dockets", "training"}


def test_one_line_fields_lose_line_breaks_and_control_characters():
    assert normalize(HOSTILE, multiline=False) == "Ana Ruiz[31m Café Ltd"


def test_multi_line_fields_keep_line_feeds_and_tabs_only():
    assert normalize("12 Elm St\r\nSuite\t4\rSan Diego\x0b", multiline=True) == (
        "12 Elm St\nSuite\t4\nSan Diego"
    )


def test_clean_text_is_returned_as_is():
    value = "Jane Q. Debtor, d/b/a Café Uno"
    assert normalize(value, multiline=False) is value


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS],
    ids=lambda m: m._meta.label,
)
def test_every_text_field_of_every_model_is_normalised_before_saving(model):
    """The hook covers every model, so no form, API or import path can skip it."""
    instance = model()
    fields = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    ]
    for field in fields:
        setattr(instance, field.attname, HOSTILE)
    pre_save.send(sender=model, instance=instance, raw=False)
    for field in fields:
        value = getattr(instance, field.attname)
        multiline = isinstance(field, models.TextField)
        assert value == normalize(HOSTILE, multiline=multiline), field.name
        assert "\x00" not in value


def _petition(tmp_path):
    """A one-page petition PDF, uploaded."""
    from pdfmaker import make_pdf

    from dockets.services import UploadedDocument

    path = make_pdf(tmp_path / "p.pdf", text="VOLUNTARY PETITION\n/s/ Dana")
    return UploadedDocument.from_path(path, filename="p.pdf", page_count=1)


@pytest.mark.django_db
def test_debtor_name_and_case_title_keep_no_line_breaks(demo, tmp_path):
    """Through the service every path uses (wizard, API, paper petition)."""
    from cases.services import PartyData
    from dockets.case_opening import open_voluntary_case

    hostile = PartyData(
        role="",
        name="Ana\r\nRuiz\x07",
        address_lines=["12 Elm St\r\nApt 4"],
        city="San Diego",
        state="CA",
        zip_code="92101",
        tax_id_kind="ssn",
        tax_id_digits="512345678",
    )
    entry = open_voluntary_case(
        petition_request(demo, _petition(tmp_path), debtors=[hostile])
    )
    case = entry.case
    case.refresh_from_db()
    debtor = case.parties.get(role="debtor")
    assert debtor.name == "Ana Ruiz"
    assert debtor.address_lines == ["12 Elm St Apt 4"]
    assert "\n" not in case.title and "\r" not in case.title
    assert "Ana Ruiz" in case.title


@pytest.mark.django_db
def test_court_search_with_nul_gives_no_results_and_a_message(client, demo):
    response = client.get(reverse("dockets:search") + "?q=%00")
    assert response.status_code == 200
    body = response.content.decode()
    assert "No results" in body
    assert "NUL or other control character" in body


@pytest.mark.django_db
def test_case_docket_search_with_control_characters_gives_a_message(
    client, demo, tmp_path
):
    from dockets.case_opening import open_voluntary_case

    case = open_voluntary_case(petition_request(demo, _petition(tmp_path))).case
    url = reverse("dockets:case-search-text", kwargs={"case_id": case.pk})
    for query in ("?q=motion%00", "?q=%1b", "?q=ok&after=%00"):
        response = client.get(url + query)
        assert response.status_code == 200, query
        assert "No results" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_any_other_address_is_a_plain_400(client, demo):
    response = client.get(reverse("cases:search") + "?q=%00")
    assert response.status_code == 400
    assert "NUL or other control character" in response.content.decode()


def test_matrix_files_with_nul_or_control_characters_are_refused_in_plain_words():
    from cases.matrix import parse_matrix

    for data in (
        b"ACME BANK\x00\r\n1 MAIN ST\r\nSAN DIEGO, CA 92101\r\n",
        b"ACME BANK\x1b\r\n1 MAIN ST\r\nSAN DIEGO, CA 92101\r\n",
    ):
        result = parse_matrix(data)
        assert not result.ok
        assert any(
            w in result.errors[0].message for w in ("plain", "control character")
        )


@pytest.mark.django_db
def test_audit_chain_hashes_the_normalised_text_it_stores(demo):
    """record_event hashes what is stored, so a note with control characters
    does not break the chain."""
    from core.audit import record_event, verify_chain

    with transaction.atomic():
        event = record_event(
            actor=None, action="test.hostile", note="line one\r\nline two\x00\x07"
        )
    event.refresh_from_db()
    assert event.note == "line one\nline two"
    assert verify_chain() == []


@pytest.mark.django_db
def test_nul_in_a_posted_form_is_refused_with_a_message(client, demo):
    """Django form fields refuse NUL before any query runs: a message, not a 500."""
    response = client.post(
        reverse("account_login"), {"login": "clerk\x00@example.com", "password": "x"}
    )
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
