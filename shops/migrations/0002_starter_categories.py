from django.db import migrations


def create(apps, schema_editor):
    from shops.categories import ensure_starter_categories

    ensure_starter_categories(apps.get_model("shops", "Category"))


class Migration(migrations.Migration):
    dependencies = [("shops", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
