from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_cases_flags_opening")]

    operations = [
        migrations.AddField(
            model_name="court",
            name="document_id_prefix",
            field=models.CharField(
                default="000",
                help_text="CM/ECF's three-digit document-id prefix for this court (casb: 036); every document id, /doc1/ link and NEF link starts with it.",
                max_length=3,
            ),
        ),
    ]
