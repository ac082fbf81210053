"""A large filer uploads a claims batch on the Claims Upload page and reads its log;
the preferred-address page is usable. Both pages pass axe-core."""

import sys
from pathlib import Path

import pytest
from browserkit import login
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dockets" / "claims"))

from batchkit import add_function, batch_xml, make_zip
from claimkit import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_creditor_uploads_a_batch_and_sees_its_log(
    page, live_server, demo, assert_accessible, tmp_path
):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    path = tmp_path / "batch.zip"
    path.write_bytes(
        make_zip(
            {
                "claims.xml": batch_xml(
                    add_function(case.display_number, creditor="Browser Bank"),
                    add_function(case.display_number, creditor="Browser Two"),
                    batch_id="BROWSER-1",
                    user=creditor.email,
                )
            }
        )
    )
    login(page, live_server, creditor)
    page.goto(f"{live_server.url}/claims/upload/")
    expect(page.get_by_role("heading", level=1, name="Claims Upload")).to_be_visible()
    assert_accessible()
    page.get_by_label("Claims upload ZIP").set_input_files(str(path))
    page.get_by_role("button", name="Upload batch").click()
    expect(
        page.get_by_role("heading", level=1, name="Claims upload BROWSER-1")
    ).to_be_visible()
    expect(
        page.get_by_role("status").filter(has_text="claim functions processed")
    ).to_contain_text("0 of 2 claim functions processed")
    assert_accessible()
    page.goto(f"{live_server.url}/cases/preferred-addresses/")
    expect(
        page.get_by_role("heading", level=1, name="Preferred notice addresses")
    ).to_be_visible()
    assert_accessible()
