"""What was filed never changes: triggers refuse DELETE of entries and documents and
UPDATE of the columns that record the filing. The search vector of docket text is
kept by a trigger, never computed per row at query time."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION ecf_docketentry_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ECF: docket entries are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.case_id IS DISTINCT FROM OLD.case_id
     OR NEW.number IS DISTINCT FROM OLD.number OR NEW.seq IS DISTINCT FROM OLD.seq
     OR NEW.event_id IS DISTINCT FROM OLD.event_id OR NEW.filed_at IS DISTINCT FROM OLD.filed_at
     OR NEW.entered_at IS DISTINCT FROM OLD.entered_at OR NEW.filed_date IS DISTINCT FROM OLD.filed_date
     OR NEW.filer_id IS DISTINCT FROM OLD.filer_id OR NEW.entered_by_id IS DISTINCT FROM OLD.entered_by_id
     OR NEW.original_text IS DISTINCT FROM OLD.original_text THEN
    RAISE EXCEPTION 'ECF: what was filed never changes (entry %)', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER dockets_docketentry_guard
  BEFORE UPDATE OR DELETE ON dockets_docketentry
  FOR EACH ROW EXECUTE FUNCTION ecf_docketentry_guard();

CREATE OR REPLACE FUNCTION ecf_document_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ECF: filed documents are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.entry_id IS DISTINCT FROM OLD.entry_id
     OR NEW.sequence IS DISTINCT FROM OLD.sequence OR NEW.original IS DISTINCT FROM OLD.original
     OR NEW.sha512 IS DISTINCT FROM OLD.sha512 OR NEW.size IS DISTINCT FROM OLD.size THEN
    RAISE EXCEPTION 'ECF: a filed document never changes (document %)', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.stamped_sha512 <> '' AND NEW.stamped_sha512 IS DISTINCT FROM OLD.stamped_sha512 THEN
    RAISE EXCEPTION 'ECF: a stamped copy never changes (document %)', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER dockets_document_guard
  BEFORE UPDATE OR DELETE ON dockets_document
  FOR EACH ROW EXECUTE FUNCTION ecf_document_guard();

CREATE TRIGGER dockets_revision_append_only
  BEFORE UPDATE OR DELETE ON dockets_docketentryrevision
  FOR EACH ROW EXECUTE FUNCTION ecf_refuse_change();

CREATE OR REPLACE FUNCTION ecf_docketentry_search() RETURNS trigger AS $$
BEGIN
  NEW.search_vector := to_tsvector('english', coalesce(NEW.text, ''));
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER dockets_docketentry_search
  BEFORE INSERT OR UPDATE OF text ON dockets_docketentry
  FOR EACH ROW EXECUTE FUNCTION ecf_docketentry_search();
"""

REVERSE = """
DROP TRIGGER IF EXISTS dockets_docketentry_search ON dockets_docketentry;
DROP TRIGGER IF EXISTS dockets_revision_append_only ON dockets_docketentryrevision;
DROP TRIGGER IF EXISTS dockets_document_guard ON dockets_document;
DROP TRIGGER IF EXISTS dockets_docketentry_guard ON dockets_docketentry;
"""


class Migration(migrations.Migration):
    dependencies = [("dockets", "0002_initial"), ("core", "0003_audit_append_only")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
