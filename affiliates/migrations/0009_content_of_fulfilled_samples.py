"""Samples fulfilled before content could be registered: their post becomes the creator's
registered content featuring the sample's product, so the fulfilment rate (which counts
only samples fulfilled by registered content) keeps counting them."""

from django.db import migrations


def register_posts(apps, schema_editor):
    Content = apps.get_model("affiliates", "Content")
    SampleRequest = apps.get_model("affiliates", "SampleRequest")
    for sample in SampleRequest.objects.filter(status="fulfilled", content__isnull=True).exclude(content_url=""):
        content, _ = Content.objects.get_or_create(
            creator_id=sample.creator_id, url=sample.content_url,
            defaults={"title": "Sample post", "created_at": sample.fulfilled_at or sample.requested_at})
        content.products.add(sample.product_id)
        SampleRequest.objects.filter(pk=sample.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [("affiliates", "0008_codes_and_content")]
    operations = [migrations.RunPython(register_posts, migrations.RunPython.noop)]
