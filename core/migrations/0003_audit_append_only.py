"""The audit log is append-only at the database level: UPDATE and DELETE are refused."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION ecf_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ECF: % on % is not allowed (the record is append-only)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditevent_append_only
  BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION ecf_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
