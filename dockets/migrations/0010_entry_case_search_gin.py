"""One GIN index over (case, search_vector) for in-case and court-wide search.

btree_gin lets the integer case id sit in the same GIN index as the text, so
`case_id = X AND search_vector @@ q` reads only case X's matches instead of
every match in the court (or every entry of a mega case). btree_gin is a
trusted extension (PostgreSQL 13+): the database owner may create it. A btree
over (case, filed_at desc, id desc) lets an in-case search read a case's newest
entries newest first, which serves a common word in a big case better than the
GIN index; the planner picks between them by how many entries match.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dockets", "0009_api_tokens"),
    ]

    operations = [
        BtreeGinExtension(),
        migrations.RemoveIndex(
            model_name="docketentry",
            name="dockets_doc_search__bd85fa_gin",
        ),
        migrations.AddIndex(
            model_name="docketentry",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["case", "search_vector"], name="entry_case_search_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="docketentry",
            index=models.Index(
                fields=["case", "-filed_at", "-id"], name="entry_case_newest"
            ),
        ),
    ]
