"""The old per-app report and log tables go, now that moderation holds their rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consultations", "0003_copy_reports_and_log_to_moderation")]

    operations = [
        migrations.DeleteModel(name="ModerationLog"),
        migrations.DeleteModel(name="Report"),
    ]
