"""The starter categories every installation begins with (staff add more in /ops/)."""

STARTER = [
    ("Beauty & personal care", "beauty"), ("Fashion", "fashion"), ("Home & living", "home"),
    ("Food & drink", "food"), ("Tech & gadgets", "tech"), ("Sports & fitness", "fitness"),
    ("Kids & baby", "kids"), ("Pets", "pets"), ("Books & learning", "books"), ("Services", "services"),
]


def ensure_starter_categories(category_model) -> None:
    for position, (name, slug) in enumerate(STARTER):
        category_model.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
