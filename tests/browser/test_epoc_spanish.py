"""A small creditor files a proof of claim through ePOC entirely in Spanish: the language
switch (no JavaScript), the answers, the English Form 410 shown before signing, the
signature, the receipt; the filed Form 410 is English and the claim is on the register."""

import io
import re

import pytest
from browserkit import answer_human_check
from factories import chapter7_case
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_epoc_claim_filed_in_spanish_is_english_form_410_shown_before_signing(
    page, live_server, demo, assert_accessible
):
    from pypdf import PdfReader

    from dockets.claims.models import Claim

    case = chapter7_case(demo)
    page.goto(f"{live_server.url}/cases/{case.pk}/claims/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The language switch: a labelled select and a button, no JavaScript needed.
    page.get_by_label(re.compile("^Language")).select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(
        page.get_by_role("heading", level=1, name="Registro de reclamos")
    ).to_be_visible()
    assert_accessible()

    page.get_by_role("link", name="Presentar un reclamo sin cuenta (ePOC)").click()
    expect(
        page.get_by_role(
            "heading", level=1, name="Prueba de reclamo electrónica (ePOC)"
        )
    ).to_be_visible()
    expect(page.get_by_text("Paso 1 de 2")).to_be_visible()
    assert_accessible()

    page.get_by_label(re.compile(r"^Nombre del acreedor")).fill("Ferretería López")
    page.get_by_label(re.compile(r"^Dirección para avisos")).fill(
        "100 Calle Real\nChula Vista, CA 91910"
    )
    page.get_by_label(re.compile(r"^Cantidad del reclamo")).fill("1,250.00")
    page.get_by_label(re.compile(r"^Cantidad no garantizada")).fill("1,200.00")
    page.get_by_label(re.compile(r"^Fundamento del reclamo")).fill("Mercancía vendida")
    page.get_by_role("button", name="Revisar el reclamo").click()

    # A mistake is explained in Spanish, and nothing is filed.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Corrija lo siguiente")
    expect(alert).to_contain_text("Las partes no suman el total")
    assert_accessible()
    page.get_by_label(re.compile(r"^Cantidad no garantizada")).fill("1,250.00")
    page.get_by_role("button", name="Revisar el reclamo").click()

    # Before signing: the English Form 410 the answers make, explained in Spanish.
    expect(
        page.get_by_role("heading", level=1, name="Revise y firme su prueba de reclamo")
    ).to_be_visible()
    expect(
        page.get_by_text("El tribunal presenta el Formulario Oficial 410 en inglés")
    ).to_be_visible()
    preview = page.get_by_role("region", name="Official Form 410 as it will be filed")
    expect(preview).to_have_attribute("lang", "en")
    expect(preview).to_contain_text("Official Form 410 — Proof of Claim")
    expect(preview).to_contain_text("Who is the current creditor?")
    expect(preview).to_contain_text("Ferretería López")
    expect(preview).to_contain_text("$1,250")
    expect(preview).to_contain_text("Mercancía vendida")
    expect(preview).to_contain_text("Not yet signed")
    assert not Claim.objects.filter(case=case).exists()
    assert_accessible()

    page.get_by_label(re.compile(r"^Su nombre \(su firma\)")).fill("Lucía López")
    page.get_by_label(re.compile(r"^He ocultado todo")).check()
    answer_human_check(page, "es")
    page.get_by_role("button", name="Firmar y presentar el reclamo").click()

    expect(
        page.get_by_role("heading", level=1, name="Reclamo 1-1 presentado")
    ).to_be_visible()
    expect(page.get_by_text("Su número de reclamo es el")).to_be_visible()
    assert_accessible()

    # The filed Form 410 is the English official form with the Spanish answers.
    link = page.get_by_role("link", name=re.compile(r"^Descargar Main Document"))
    pdf = page.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Official Form 410" in text and "Proof of Claim" in text
    assert "Part 1: Identify the Claim" in text and "Part 3: Sign Below" in text
    assert "Lucía López" in text and "Mercancía vendida" in text
    assert "Parte 1" not in text and "reclamo" not in text.lower()

    page.get_by_role(
        "link", name=re.compile("Ver el registro de reclamos del caso")
    ).click()
    claim = page.get_by_role("article", name="Reclamo n.º 1: Ferretería López")
    expect(claim).to_be_visible()
    expect(claim.get_by_role("table")).to_contain_text("$1,250")
    # The register's history line is the court's docket text: English, as kept.
    expect(claim).to_contain_text("Claim #1 filed by Ferretería López")
    assert_accessible()
