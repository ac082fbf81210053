"""A document page always carries its entry's filed time (the search cursor reads it).

Pages written before 0019 were back-filled there; any still empty are filled again
from their entry before the column becomes NOT NULL.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dockets", "0019_document_page_filed_at"),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE dockets_documentpage p SET filed_at = e.filed_at "
            "FROM dockets_docketentry e WHERE e.id = p.entry_id AND p.filed_at IS NULL",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="documentpage",
            name="filed_at",
            field=models.DateTimeField(
                help_text="The entry's filed time (it never changes): hits are listed "
                "newest first from an index on this, without joining every match to its entry"
            ),
        ),
    ]
