"""Creditors per case kept by triggers: the docket header stops counting 10^6 rows."""

import django.db.models.deletion
from django.db import migrations, models

# Statement triggers with transition tables: one upsert per statement, whatever the
# number of rows (a matrix's bulk insert of 10^6 creditors is one aggregate), and they
# fire for COPY too. An UPDATE writes only where a case's count changes (a party moved
# to another case or given another role), so editing an address writes nothing here.
TRIGGERS = """
CREATE FUNCTION cases_creditor_total_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cases_creditortotal (case_id, count)
        SELECT case_id, count(*) FROM new_rows WHERE role = 'creditor' GROUP BY case_id
        ON CONFLICT (case_id) DO UPDATE
            SET count = cases_creditortotal.count + EXCLUDED.count;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE cases_creditortotal AS t SET count = t.count - d.n
        FROM (
            SELECT case_id, count(*) AS n FROM old_rows
            WHERE role = 'creditor' GROUP BY case_id
        ) AS d
        WHERE t.case_id = d.case_id;
    ELSE
        INSERT INTO cases_creditortotal (case_id, count)
        SELECT case_id, sum(n) FROM (
            SELECT case_id, 1 AS n FROM new_rows WHERE role = 'creditor'
            UNION ALL
            SELECT case_id, -1 AS n FROM old_rows WHERE role = 'creditor'
        ) AS d
        GROUP BY case_id HAVING sum(n) <> 0
        ON CONFLICT (case_id) DO UPDATE
            SET count = cases_creditortotal.count + EXCLUDED.count;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER cases_party_creditor_total_insert AFTER INSERT ON cases_party
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_creditor_total_change();
CREATE TRIGGER cases_party_creditor_total_delete AFTER DELETE ON cases_party
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_creditor_total_change();
CREATE TRIGGER cases_party_creditor_total_update AFTER UPDATE ON cases_party
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_creditor_total_change();

CREATE FUNCTION cases_creditor_total_case_gone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM cases_creditortotal WHERE case_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER cases_case_creditor_total_delete AFTER DELETE ON cases_case
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_creditor_total_case_gone();

INSERT INTO cases_creditortotal (case_id, count)
SELECT case_id, count(*) FROM cases_party WHERE role = 'creditor' GROUP BY case_id;
"""

DROP_TRIGGERS = """
DROP TRIGGER cases_case_creditor_total_delete ON cases_case;
DROP FUNCTION cases_creditor_total_case_gone();
DROP TRIGGER cases_party_creditor_total_update ON cases_party;
DROP TRIGGER cases_party_creditor_total_delete ON cases_party;
DROP TRIGGER cases_party_creditor_total_insert ON cases_party;
DROP FUNCTION cases_creditor_total_change();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_party_case_role_with_user_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="CreditorTotal",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="cases.case",
                    ),
                ),
                ("count", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
