from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("fr", "Français")],
                default="en",
                max_length=8,
                verbose_name="language",
            ),
        ),
    ]
