from django.db import migrations

STARTER = [
    ("Beauty & personal care", "beauty"), ("Fashion", "fashion"), ("Home & living", "home"),
    ("Food & drink", "food"), ("Tech & gadgets", "tech"), ("Sports & fitness", "fitness"),
    ("Kids & baby", "kids"), ("Pets", "pets"), ("Books & learning", "books"), ("Services", "services"),
]


def create(apps, schema_editor):
    Category = apps.get_model("shops", "Category")
    for position, (name, slug) in enumerate(STARTER):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("shops", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
