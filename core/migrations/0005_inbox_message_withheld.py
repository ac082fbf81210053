# An NEF e-mail whose entry was sealed after it was written is not sent: "withheld".

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_inbox_message_claimed_before_sending"),
    ]

    operations = [
        migrations.AlterField(
            model_name="inboxmessage",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting to send"),
                    ("sending", "Being sent"),
                    ("sent", "Sent"),
                    ("failed", "Could not be sent"),
                    ("not_sent", "Kept in ECF only (training)"),
                    ("withheld", "Not sent: its docket entry was sealed"),
                ],
                default="pending",
                max_length=12,
            ),
        ),
    ]
