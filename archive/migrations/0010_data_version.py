from django.db import migrations, models

SEQUENCE = "archive_data_version"


def create_counter(apps, schema_editor):
    """The row (SQLite) or the sequence (PostgreSQL) that archive/data_version.py moves."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    else:
        apps.get_model("archive", "DataVersion").objects.using(schema_editor.connection.alias).get_or_create(pk=1)


def drop_counter(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0009_integrity"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "data version"},
        ),
        migrations.RunPython(create_counter, drop_counter),
    ]
