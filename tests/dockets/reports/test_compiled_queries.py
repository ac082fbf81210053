"""The docket page's compiled-once queries give what the ORM gives (core.compiled).

The docket header and the party blocks run SQL compiled once per process; these
tests compare every field, related object and annotation with the same queryset
iterated by the ORM, on cases with and without the optional parts (a judge, a
trustee, a lead case, deadlines, aliases, counsel, terminated parties).
"""

from __future__ import annotations

import datetime as dt

import pytest
from factories import make_case
from testkit import assert_same_object, model_fields

from cases.models import Case, Deadline, Party, PartyAlias, Representation
from core.compiled import CompiledQuery
from dockets.reports import selectors

pytestmark = pytest.mark.django_db


def test_the_docket_header_is_what_the_orm_reads(world):
    case = world.case
    Deadline.objects.create(
        case=case, kind="341", label="341 meeting", due=dt.date(2099, 1, 5)
    )
    Deadline.objects.create(
        case=case,
        kind="hearing",
        label="Hearing",
        due=dt.date(2099, 2, 1),
        due_at=dt.datetime(2099, 2, 1, 18, 30, tzinfo=dt.UTC),
        location="Courtroom 2",
    )
    adversary = make_case(world.court, title="Gonzalez v. Coastal", chapter="7")
    Case.objects.filter(pk=adversary.pk).update(lead_case=case, judge=None)
    for case_id in (case.pk, adversary.pk):
        fast = selectors.docket_case(case_id)
        slow = selectors._docket_case_query(case_id).first()
        assert_same_object(
            fast,
            slow,
            related=("court", "office", "judge", "trustee", "lead_case"),
            annotations=("header_deadlines", "creditor_total"),
        )
    for case_id in (case.pk, adversary.pk):
        assert_same_object(
            selectors.report_case(case_id),
            Case.objects.select_related(
                "court", "office", "judge", "trustee", "lead_case"
            ).get(pk=case_id),
            related=("court", "office", "judge", "trustee", "lead_case"),
        )
    assert selectors.report_case(10**9) is None
    own = selectors.docket_case(case.pk)
    assert own is not None
    assert [d.label for d in selectors.header_deadlines(own)] == [
        "341 meeting",
        "Hearing",
    ]
    header = selectors.docket_case(adversary.pk)
    assert header is not None and header.judge is None
    assert header.lead_case is not None and header.lead_case.pk == case.pk
    assert selectors.docket_case(10**9) is None


def test_the_party_blocks_are_what_the_orm_reads(world):
    hospital = Party.objects.get(case=world.case, name="Sharp Memorial Hospital")
    Representation.objects.create(
        case=world.case,
        party=hospital,
        attorney=world.users["attorney"],
        terminated_on=dt.date(2026, 3, 1),
    )
    PartyAlias.objects.create(party=hospital, kind="dba", name="Sharp Hospital")
    Party.objects.filter(pk=world.bank.pk).update(terminated_on=dt.date(2026, 4, 1))
    for include_terminated in (True, False):
        fast = selectors.party_blocks(world.case, include_terminated=include_terminated)
        slow = sorted(
            selectors._party_blocks_query(
                world.case.pk, include_terminated=include_terminated
            ),
            key=lambda p: (selectors.PARTY_ORDER.index(Party.Role(p.role)), p.pk),
        )
        assert [p.pk for p in fast] == [p.pk for p in slow]
        for a, b in zip(fast, slow, strict=True):
            assert_same_object(a, b, annotations=("alias_list", "counsel"))
    names = [p.name for p in selectors.party_blocks(world.case)]
    assert names == [
        "Maria L. Gonzalez",
        "Coastal Federal Credit Union",
        "Sharp Memorial Hospital",
    ]
    hospital_block = selectors.party_blocks(world.case)[-1]
    # Annotations, not model fields: read from the instance's attributes.
    assert vars(hospital_block)["alias_list"] == [
        {"kind": "dba", "name": "Sharp Hospital"}
    ]
    assert vars(hospital_block)["counsel"][0]["terminated_on"] == "2026-03-01"


def test_the_document_read_is_what_the_orm_reads(world, file_entry):
    """access_document's read and the document page's text status."""
    from dockets.fulltext.models import DocumentText
    from dockets.models import Document
    from dockets.permissions import _DOCUMENT
    from dockets.pipeline.views import _TEXT_STATUS

    entry = file_entry(world.case, "nmrp", world.users["attorney"])
    document = entry.documents.get()
    assert_same_object(
        _DOCUMENT.first(document.pk),
        Document.objects.select_related(
            "entry",
            "entry__case",
            "entry__case__court",
            "entry__case__office",
            "entry__case__judge",
        ).get(pk=document.pk),
        related=("entry",),
    )
    fast = _DOCUMENT.first(document.pk)
    assert fast is not None
    assert model_fields(fast.entry.case) == model_fields(
        world.case.__class__.objects.get(pk=world.case.pk)
    )
    assert fast.entry.case.court.pk == world.case.court_id
    assert _DOCUMENT.first(10**9) is None
    status = DocumentText.objects.filter(document=document).first()
    fast_status = _TEXT_STATUS.first(document.pk)
    assert (fast_status is None) == (status is None)
    if status is not None:
        assert_same_object(fast_status, status)


def test_the_entry_and_draft_reads_are_what_the_orm_reads(world, file_entry):
    """access_entry's read (the receipt) and the wizard's read of its draft."""
    from dockets.filing.models import Draft
    from dockets.filing.views.common import _DRAFT
    from dockets.models import DocketEntry
    from dockets.permissions import _ENTRY

    entry = file_entry(world.case, "nmrp", world.users["attorney"])
    related = ("case", "event", "filer")
    assert_same_object(
        _ENTRY.first(entry.pk),
        DocketEntry.objects.select_related(*related).get(pk=entry.pk),
        related=related,
    )
    assert _ENTRY.first(10**9) is None
    draft = Draft.objects.create(
        owner=world.users["attorney"],
        principal=world.users["attorney"],
        case=world.case,
        state={"event_ids": [3], "fields": {"a": "b"}},
        idempotency_key="draft-compiled-test",
        expires_at=entry.entered_at,
    )
    related = ("case", "principal", "owner")
    fast = _DRAFT.first(draft.pk)
    assert fast is not None and fast.case is not None
    assert_same_object(
        fast, Draft.objects.select_related(*related).get(pk=draft.pk), related=related
    )
    assert fast.state == {"event_ids": [3], "fields": {"a": "b"}}
    assert model_fields(fast.case.court) == model_fields(world.case.court)


def test_the_id_is_a_parameter_of_every_compiled_query():
    """A queryset that does not take the id as a parameter is refused when compiled."""
    from cases.models import Court

    fixed = CompiledQuery(lambda case_id: Court.objects.filter(pk=1))
    with pytest.raises(ValueError, match="id as a parameter"):
        fixed.all(5)


def test_a_date_in_a_compiled_query_is_refused():
    """A date or time in the filters would be frozen at the first compile: refused."""
    from core import clock
    from dockets.models import DocketEntry

    dated = CompiledQuery(
        lambda case_id: DocketEntry.objects.filter(
            case_id=case_id, visible_from__lte=clock.today()
        )
    )
    with pytest.raises(ValueError, match="date or time"):
        dated.all(5)


def test_the_docket_pages_are_what_the_orm_reads(world, file_entry):
    """Every keyset page without a date or number range (first, after, before, last,
    oldest and newest first) runs SQL compiled once: the same rows and documents,
    in the same order, as the ORM's queryset; sealed rows included."""
    from reports_helpers import bulk_entries

    from dockets.models import DocketEntry, Visibility

    attorney = world.users["attorney"]
    for i in range(3):
        file_entry(
            world.case, "msj", attorney, attachments=[f"Exhibit {i}"] if i else []
        )
    bulk_entries(world.case, 230)
    file_entry(world.case, "msj", attorney, attachments=["Exhibit Z"])
    sealed = DocketEntry.objects.filter(case=world.case).order_by("seq")[5]
    DocketEntry.objects.filter(pk=sealed.pk).update(visibility=Visibility.SEALED)
    seqs = list(
        DocketEntry.objects.filter(case=world.case)
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    checked = 0
    for mode in ("first", "after", "before", "last"):
        for desc in (False, True):
            for cursor in (
                (seqs[2], seqs[120], seqs[-2])
                if mode
                in (
                    "after",
                    "before",
                )
                else (None,)
            ):
                keys = (world.case.pk,) + ((cursor,) if cursor is not None else ())
                fast = selectors._PAGE_QUERIES[(mode, desc)].rows(*keys)
                slow = list(
                    selectors.page_entries_query(world.case.pk, mode, desc, cursor)
                )
                assert fast == slow, (mode, desc, cursor)
                if fast:
                    page_seqs = [r["seq"] for r in fast]
                    low, high = min(page_seqs), max(page_seqs)
                    docs = selectors._PAGE_DOCUMENTS.rows(world.case.pk, low, high)
                    assert docs == list(
                        selectors._documents_of([r["id"] for r in fast])
                    )
                    checked += len(docs)
    assert checked > 0
    assert selectors._PAGE_QUERIES[("first", False)].rows(10**9) == []


def test_a_values_query_must_take_every_key_as_a_parameter():
    from cases.models import Court
    from core.compiled import CompiledValues

    fixed = CompiledValues(lambda a, b: Court.objects.filter(pk=a).values("pk"), 2)
    with pytest.raises(ValueError, match="every key"):
        fixed.rows(1, 2)
    models = CompiledValues(lambda a: Court.objects.filter(pk=a), 1)
    with pytest.raises(ValueError, match="values"):
        models.rows(1)
    court = CompiledValues(lambda a: Court.objects.filter(pk=a).values("pk"), 1)
    with pytest.raises(ValueError, match="whole numbers"):
        court.rows("1")  # type: ignore[arg-type]  # a string, on purpose
