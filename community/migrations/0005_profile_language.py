from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0004_post_hidden_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("fr", "Français")],
                default="en",
                max_length=8,
                verbose_name="language for emails",
            ),
        ),
    ]
