"""A filing in progress never deadlocks a filer who starts a draft in the same case.

The cause of the load run's HTTP 503 "try again" on "start a filing" (issue 21): the
filing held the case row FOR UPDATE and then waited for the case's audit chain head,
while start_draft held that chain head and, at its COMMIT, checked its draft's
foreign key to the case (FOR KEY SHARE, which FOR UPDATE blocks). PostgreSQL broke
the cycle after deadlock_timeout by failing the draft's transaction
(OperationalError "deadlock detected"), and core.middleware answered 503. The case
lock is FOR NO KEY UPDATE now: it still orders filings in a case, and no longer
blocks a row that merely refers to the case.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from cases.models import Judge, Office
from cases.services import create_case
from core.audit import record_event
from dockets.filing.models import Draft
from dockets.filing.services import start_draft
from dockets.services import lock_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_draft_started_while_a_filing_holds_the_case_lock_does_not_deadlock(demo):
    office = Office.objects.get(court=demo.court, number=3)
    judge = Judge.objects.get(court=demo.court, initials="LT")
    attorney = demo.users["attorney"]
    case = create_case(
        court=demo.court, office=office, chapter="7", title="Lock Order", judge=judge
    )
    locked = threading.Event()
    draft_done = threading.Event()
    errors: list[BaseException] = []

    def filing():
        """What dockets.services does for a filing: the case lock, then its chain."""
        try:
            with transaction.atomic():
                lock_case(case.pk)
                locked.set()
                # The draft runs now; before the fix it waits here for our lock, at
                # its commit, while holding the chain head we are about to ask for.
                draft_done.wait(timeout=3)
                record_event(
                    actor=attorney,
                    action="test.filing",
                    target=case,
                    case_id=case.pk,
                )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def draft():
        try:
            assert locked.wait(timeout=30)
            start_draft(user=attorney, principal=attorney, case=case)
        except Exception as error:
            errors.append(error)
        finally:
            draft_done.set()
            connection.close()

    threads = [threading.Thread(target=filing), threading.Thread(target=draft)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert Draft.objects.filter(case=case, owner=attorney).count() == 1
