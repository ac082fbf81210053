"""CM/ECF-style document ids and numeric free-look numbers.

Every document gets `cmecf_id` = court prefix + "0" + its serial (at least 8 digits),
the form of CM/ECF's /doc1/ ids (reference/cmecf.md 0: digits 1-3 the court prefix,
digit 4 "0"). A trigger sets it on INSERT, whatever code path creates the row, and
refuses to change it afterwards; existing rows are backfilled here.

Every notice recipient gets `magic_num`, the numeric form of its free-look token used
in CM/ECF-style NEF links (`magic_num=...`).
"""

import secrets

from django.db import migrations, models

import dockets.models

CMECF_ID_SQL = """
CREATE OR REPLACE FUNCTION ecf_document_cmecf_id() RETURNS trigger AS $$
DECLARE
  prefix text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.cmecf_id IS NULL OR NEW.cmecf_id = '' THEN
      SELECT co.document_id_prefix INTO prefix
        FROM dockets_docketentry e
        JOIN cases_case c ON c.id = e.case_id
        JOIN cases_court co ON co.id = c.court_id
       WHERE e.id = NEW.entry_id;
      NEW.cmecf_id := coalesce(prefix, '000') || '0'
        || lpad(NEW.id::text, greatest(8, length(NEW.id::text)), '0');
    END IF;
  ELSIF NEW.cmecf_id IS DISTINCT FROM OLD.cmecf_id THEN
    RAISE EXCEPTION 'ECF: a document id never changes (document %)', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

UPDATE dockets_document d
   SET cmecf_id = coalesce(co.document_id_prefix, '000') || '0'
       || lpad(d.id::text, greatest(8, length(d.id::text)), '0')
  FROM dockets_docketentry e
  JOIN cases_case c ON c.id = e.case_id
  JOIN cases_court co ON co.id = c.court_id
 WHERE e.id = d.entry_id AND (d.cmecf_id IS NULL OR d.cmecf_id = '');

CREATE TRIGGER dockets_document_cmecf_id
  BEFORE INSERT OR UPDATE OF cmecf_id ON dockets_document
  FOR EACH ROW EXECUTE FUNCTION ecf_document_cmecf_id();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS dockets_document_cmecf_id ON dockets_document;
DROP FUNCTION IF EXISTS ecf_document_cmecf_id();
"""


def backfill_magic_nums(apps, schema_editor):
    NoticeRecipient = apps.get_model("dockets", "NoticeRecipient")
    db = schema_editor.connection.alias
    used = set()
    for pk in NoticeRecipient.objects.using(db).filter(magic_num__isnull=True).values_list(
        "pk", flat=True
    ).iterator(chunk_size=2000):
        while True:
            value = 10**9 + secrets.randbelow(10**15 - 10**9)
            if value not in used:
                used.add(value)
                break
        NoticeRecipient.objects.using(db).filter(pk=pk).update(magic_num=value)


class Migration(migrations.Migration):
    dependencies = [
        ("dockets", "0009_api_tokens"),
        ("cases", "0004_court_document_id_prefix"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="cmecf_id",
            field=models.CharField(max_length=20, null=True, editable=False),
        ),
        migrations.RunSQL(CMECF_ID_SQL, REVERSE_SQL),
        migrations.AlterField(
            model_name="document",
            name="cmecf_id",
            field=models.CharField(
                db_default=models.Value(""),
                editable=False,
                help_text="CM/ECF-style document id (court prefix, 0, serial), as in /doc1/<id>. Set by a database trigger when the row is inserted, whatever path creates it, and never changed afterwards.",
                max_length=20,
                unique=True,
            ),
        ),
        migrations.AddField(
            model_name="noticerecipient",
            name="magic_num",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.RunPython(backfill_magic_nums, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="noticerecipient",
            name="magic_num",
            field=models.PositiveBigIntegerField(
                default=dockets.models.new_magic_num,
                help_text="The numeric form of `token` in CM/ECF-style /doc1/ links (magic_num=...): it opens the same free look as the token link.",
                unique=True,
            ),
        ),
    ]
