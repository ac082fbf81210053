"""Spanish: Accept-Language and the language switch choose it; the public, case, claim
and ePOC pages and the help speak it; what the court keeps stays in English; every
message of a translated template has its Spanish, and the compiled catalogue is current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
from django.conf import settings
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.base import Node
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _case(demo):
    from cases.models import Judge, Office, Party, Trustee
    from cases.services import PartyData, add_party, create_case

    court = demo.court
    case = create_case(
        court=court,
        office=Office.objects.get(court=court, number=3),
        chapter="7",
        title="Maria L. Gonzalez",
        judge=Judge.objects.get(court=court, initials="LT"),
        trustee=Trustee.objects.get(court=court, kind=Trustee.Kind.PANEL_7),
    )
    add_party(
        case=case, data=PartyData(role=Party.Role.DEBTOR, name="Maria L. Gonzalez")
    )
    return case


@pytest.fixture
def claim(demo):
    from dockets.claims.services import ClaimData, file_claim

    case = _case(demo)
    data = ClaimData(
        creditor_name="Coastal Federal Credit Union",
        creditor_address="P.O. Box 9000\nSan Diego, CA 92169",
        basis="Money loaned",
        amount_cents=150_000,
        unsecured_cents=150_000,
        signer_name="Pat Creditor",
    )
    return file_claim(case=case, data=data, epoc=True).claim


def _public_pages(claim) -> dict[str, str]:
    case = claim.case
    document = claim.versions.get().entry.documents.order_by("sequence").first()
    return {
        "home": reverse("core:home"),
        "case search": reverse("cases:search") + "?q=Gonzalez",
        "case": reverse("cases:summary", kwargs={"case_id": case.pk}),
        "docket": reverse("dockets:docket", kwargs={"case_id": case.pk}),
        "docket search": reverse("dockets:search") + "?q=claim",
        "claims register": reverse("dockets:claims-register", args=[case.pk]),
        "claim": reverse("dockets:claim-detail", args=[claim.pk]),
        "document": reverse("dockets:document", kwargs={"document_id": document.pk}),
        "epoc start": reverse("dockets:epoc-start"),
        "epoc": reverse("dockets:epoc", kwargs={"case_id": case.pk}),
    }


# One phrase each page says in Spanish, and the English it replaces.
SAYS = {
    "home": ("Ayuda con las presentaciones más comunes", "Help with common filings"),
    "case search": ("Buscar un caso", "Find a case"),
    "case": ("Información del caso", "Case information"),
    "docket": ("Texto del expediente", "Docket Text"),
    "docket search": ("Buscar en expedientes y documentos", "Search dockets and"),
    "claims register": ("Registro de reclamos", "Claims Register"),
    "claim": ("Versiones presentadas y documentos", "Filed versions and documents"),
    "document": ("Descargar el original tal como se presentó", "Download the original"),
    "epoc start": ("Presentar una prueba de reclamo", "File a proof of claim"),
    "epoc": ("Prueba de reclamo electrónica (ePOC)", "Electronic Proof of Claim"),
}


def test_accept_language_es_gives_spanish_pages_and_english_stays_the_default(
    client, claim
):
    """A browser asking for Spanish gets every public page in Spanish, with
    <html lang="es">; without it (or asking for a language the court has not) English."""
    for name, url in _public_pages(claim).items():
        spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
        html = spanish.content.decode()
        assert spanish.status_code == 200, name
        assert '<html lang="es">' in html, name
        assert SAYS[name][0] in html, name
        assert SAYS[name][1] not in html, name
        if name == "case":  # a stored status label, shown in Spanish
            assert "<dd>Abierto</dd>" in html
        # The court's own words stay as filed.
        if name in ("claims register", "claim"):
            assert "Coastal Federal Credit Union" in html
        for header in ({}, {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}):
            english = client.get(url, **header).content.decode()
            assert '<html lang="en">' in english, name
            assert SAYS[name][1] in english, name


def test_docket_text_and_party_names_stay_in_english(client, claim):
    """The docket entry the claim made reads as the court keeps it, on the Spanish page."""
    entry = claim.versions.get().entry
    html = client.get(
        reverse("dockets:docket", kwargs={"case_id": claim.case_id}),
        HTTP_ACCEPT_LANGUAGE="es",
    ).content.decode()
    assert "Texto del expediente" in html
    assert entry.text.split(" ")[0] in html and "Maria L. Gonzalez" in html


def test_language_switch_works_without_javascript_and_is_remembered(client, claim):
    """The header's form (a label, a select, a button) posts to set_language; the
    choice outlives the request, beats Accept-Language, and can be switched back."""
    register = reverse("dockets:claims-register", args=[claim.case_id])
    page = client.get(register).content.decode()
    form = re.search(
        r'<form class="language-switch" action="([^"]+)" method="post">(.*?)</form>',
        page,
        re.S,
    )
    assert form and form.group(1) == reverse("set_language")
    assert '<label for="language-switch">' in form.group(2)
    assert '<select name="language" id="language-switch">' in form.group(2)
    assert '<option value="es" lang="es">Español</option>' in form.group(2)
    assert '<button type="submit">' in form.group(2)
    assert f'name="next" value="{register}"' in form.group(2)

    switched = client.post(
        reverse("set_language"), {"language": "es", "next": register}
    )
    assert switched.status_code == 302 and switched["Location"] == register
    cookie = switched.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es" and cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    for _ in range(2):
        html = client.get(register, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
        assert '<html lang="es">' in html and "Registro de reclamos" in html
        assert '<option value="es" lang="es" selected>' in html
    home = client.get(reverse("core:home")).content.decode()
    assert "Ayuda con las presentaciones más comunes" in home

    client.post(reverse("set_language"), {"language": "en", "next": register})
    html = client.get(register, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in html and "Claims Register" in html


def test_language_switch_refuses_a_foreign_next_address(client):
    """The switch returns only to this site's pages."""
    response = client.post(
        reverse("set_language"), {"language": "es", "next": "https://evil.test/"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.test")


# -- the catalogue --------------------------------------------------------------------


def _po() -> dict[tuple[str | None, str], list[str]]:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import messages  # type: ignore[import-not-found]  # scripts/ is not a package
    finally:
        sys.path.pop(0)
    return {
        (e.msgctxt, e.msgid): e.msgstr
        for e in messages.read_po(PO)
        if e.msgid and not e.fuzzy
    }


def _walk(nodes) -> list[Node]:
    found = []
    for node in nodes:
        found.append(node)
        for attr in getattr(node, "child_nodelists", ()):
            found.extend(_walk(getattr(node, attr, None) or []))
        for _, nodelist in getattr(node, "conditions_nodelists", ()):
            found.extend(_walk(nodelist))
    return found


def _template_messages() -> dict[str, set[tuple[str | None, str]]]:
    """Every {% translate %} and {% blocktranslate %} message, by template file."""
    engine = cast(DjangoTemplates, engines["django"]).engine
    out: dict[str, set] = {}
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in (".html", ".txt") or "i18n" not in path.read_text():
            continue
        template = engine.from_string(path.read_text())
        found = set()
        for node in _walk(template.nodelist):
            if isinstance(node, TranslateNode):
                context = node.message_context
                found.add(
                    (
                        context.var if context else None,
                        node.filter_expression.var.literal,
                    )
                )
            elif isinstance(node, BlockTranslateNode):
                context = node.message_context
                msgid = node.render_token_list(node.singular)[0]
                found.add((context.var if context else None, msgid))
        out[str(path.relative_to(ROOT))] = found
    return out


def test_every_message_of_the_translated_templates_has_its_spanish():
    """A {% translate %} or {% blocktranslate %} added to a template without its Spanish
    in locale/es fails here (pure Python: no gettext tools needed)."""
    po = _po()
    messages = _template_messages()
    assert len(messages) >= 20, "the translated templates were found"
    missing = [
        f"{template}: {msgid!r}"
        for template, found in messages.items()
        for context, msgid in sorted(found, key=str)
        if not all(po.get((context, msgid), [""]))
    ]
    assert not missing, "no Spanish for:\n" + "\n".join(missing)


def test_every_catalogue_entry_is_translated_and_the_mo_is_current():
    """No entry of django.po is empty or fuzzy, and django.mo is what the .po compiles
    to (scripts/messages.py, the same in CI as on a machine without gettext)."""
    untranslated = [
        e for (_, e), msgstr in _po().items() if not all(s.strip() for s in msgstr)
    ]
    assert not untranslated
    fuzzy = [
        line for line in PO.read_text().splitlines() if line.startswith("#, fuzzy")
    ]
    assert not fuzzy
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "messages.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout


def test_epoc_form_speaks_spanish_in_every_label_help_and_choice():
    """Every question of the ePOC form, its help and its choices read in Spanish."""
    from dockets.claims.epoc_views import EpocForm  # wherever the form lives

    def words(form):
        out = []
        for field in form.fields.values():
            out += [str(field.label or ""), str(field.help_text or "")]
            out += [str(label) for _, label in getattr(field, "choices", [])]
        return out

    with translation.override("en"):
        english = words(EpocForm())
    with translation.override("es"):
        spanish = words(EpocForm())
    same = [
        en
        for en, es in zip(english, spanish, strict=True)
        if en and en == es and not re.fullmatch(r"[\d\s]*", en)
    ]
    assert not same, same


def test_epoc_errors_and_the_human_check_speak_spanish(client, claim):
    """A wrong ePOC answer is explained in Spanish; the question is asked in Spanish."""
    url = reverse("dockets:epoc", kwargs={"case_id": claim.case_id})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    token_match = re.search(r'name="human_token" value="([^"]+)"', page)
    submission_match = re.search(r'name="submission" value="([^"]+)"', page)
    assert token_match and submission_match, page
    token, submission = token_match.group(1), submission_match.group(1)
    response = client.post(
        url,
        {
            "human_token": token,
            "submission": submission,
            "creditor_name": "Ferretería López",
            "creditor_address": "100 Calle Real\nChula Vista, CA 91910",
            "amount": "1,000.00",
            "unsecured": "999.00",
            "basis": "Mercancía vendida",
            "account_last4": "123456789012",
        },
        HTTP_ACCEPT_LANGUAGE="es",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Corrija lo siguiente" in html
    assert "Las partes no suman el total" in html
    assert "Escriba solo los últimos 4 dígitos" in html
    assert "The parts do not add up" not in html
