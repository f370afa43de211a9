"""Deployed as documented, pictures work: a seller uploads one through the site and
buyers get it back, from this machine's disk through gunicorn (one machine, `make up`)
and from S3-compatible object storage (several web machines), here a local moto server."""

import io
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from PIL import Image

from shops import services as shop_services
from shops.models import Product
from tests.factories import PASSWORD, ActiveShopFactory, CategoryFactory, ShopMembershipFactory, UserFactory

from .stack import Browser, free_port, production_stack, with_production_password

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
BUCKET = "kinship-media"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 320), (40, 140, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def _seller_uploads_a_product(stack) -> tuple[Browser, Product, str]:
    """A seller signs in and lists a product with a picture; staff approve it. Returns the
    seller's browser, the product and the picture's address on the seller's page."""
    seller = with_production_password(
        ShopMembershipFactory(shop=ActiveShopFactory(), user=UserFactory(email="pictures@example.com")).user, PASSWORD)
    browser = Browser(stack.base, ip="10.5.0.1")
    assert browser.login(seller.email, PASSWORD).status == 200
    form = browser.get("/seller/products/new/")
    page = browser.post_files("/seller/products/new/", {
        "title": "Glazed Mug", "description": "Stoneware.", "category": CategoryFactory().pk, "kind": "physical",
        "price": "24.00", "stock": "10"}, {"images": ("mug.png", _png(), "image/png")}, csrf_from=form)
    assert page.status == 200 and "Product saved as a draft" in page.body, page.body[:2000]
    product = Product.objects.get(title="Glazed Mug")
    shop_services.product_submit(product=product, by=seller)
    shop_services.product_approve(product=product, by=UserFactory(is_staff=True))
    found = re.search(r'<img src="([^"]+)" alt="Picture 1"', page.body)
    assert found, page.body[:3000]
    return browser, product, found.group(1)


def test_one_machine_serves_uploaded_pictures_from_its_disk(static_root, tmp_path):
    media = tmp_path / "media"
    with production_stack(static_root=static_root, extra_env={"DJANGO_MEDIA_ROOT": str(media)}) as stack:
        browser, product, thumbnail = _seller_uploads_a_product(stack)
        assert thumbnail.startswith("/media/products/") and thumbnail.endswith(".webp")
        buyer = Browser(stack.base, ip="10.5.0.2")
        product_page = buyer.get(f"/p/{product.pk}/")
        picture = re.search(r'<img src="(/media/[^"]+)" class="d-block w-100"', product_page.body).group(1)
        for path in (picture, thumbnail):
            status, headers, body = buyer.fetch(stack.base + path)
            assert status == 200 and body[:4] == b"RIFF" and body[8:12] == b"WEBP"
            assert headers["Content-Type"] == "image/webp"
            assert headers["Cache-Control"] == "public, max-age=604800" and headers["ETag"]
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in headers["Content-Security-Policy"]
        status, headers, body = buyer.fetch(stack.base + picture, method="HEAD")
        assert (status, body, headers["Content-Type"]) == (200, b"", "image/webp")
        assert buyer.fetch(stack.base + picture, headers={"If-None-Match": headers["ETag"]})[0] == 304
        assert buyer.fetch(stack.base + picture, method="POST")[0] == 405

        # Nothing else that sits in the folder is served, and nothing outside it.
        folder = media / "products"
        (folder / "evil.html").write_text("<script>alert(1)</script>")
        (folder / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
        (folder / ".hidden.webp").write_bytes(b"RIFF")
        (folder / "passwd.png").symlink_to("/etc/passwd")
        for path in ("/media/products/evil.html", "/media/products/evil.svg", "/media/products/.hidden.webp",
                     "/media/products/passwd.png", "/media/../config/settings/base.py",
                     "/media/%2e%2e/config/settings/base.py", "/media/products/", "/media/missing.webp"):
            status, _, body = buyer.fetch(stack.base + path)
            assert status == 404, (path, status)
            assert b"alert" not in body and b"SECRET" not in body


@pytest.fixture
def s3_server(tmp_path):
    """moto's S3-compatible server on 127.0.0.1, with an empty bucket; stopped afterwards."""
    port = free_port()
    log = open(tmp_path / "moto.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint, timeout=1)  # noqa: S310 - 127.0.0.1 only
            break
        except OSError as exc:
            if getattr(exc, "code", None):  # it answers (with an error page): up
                break
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "moto.log").read_text()
            time.sleep(0.2)
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                          region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    try:
        yield endpoint, client
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_several_machines_keep_pictures_in_object_storage(static_root, tmp_path, s3_server):
    endpoint, client = s3_server
    media = tmp_path / "media"
    env = {"MEDIA_S3_BUCKET": BUCKET, "MEDIA_S3_ENDPOINT_URL": endpoint, "MEDIA_S3_REGION": "us-east-1",
           "MEDIA_S3_ACCESS_KEY_ID": "test", "MEDIA_S3_SECRET_ACCESS_KEY": "test", "DJANGO_MEDIA_ROOT": str(media)}
    with production_stack(static_root=static_root, extra_env=env) as stack:
        _, product, thumbnail = _seller_uploads_a_product(stack)
        assert thumbnail.startswith(f"{endpoint}/{BUCKET}/products/"), thumbnail
        buyer = Browser(stack.base, ip="10.5.0.3")
        product_page = buyer.get(f"/p/{product.pk}/")
        picture = re.search(r'<img src="([^"]+)" class="d-block w-100"', product_page.body).group(1)
        assert picture.startswith(f"{endpoint}/{BUCKET}/products/") and "Signature" not in picture
        csp = product_page.headers["Content-Security-Policy"]
        assert f"img-src 'self' data: {endpoint}" in csp  # the page may load pictures from the bucket
        for url in (picture, thumbnail):
            status, headers, body = buyer.fetch(url)  # anonymous, as a buyer's browser asks
            assert status == 200 and headers["Content-Type"] == "image/webp" and body[8:12] == b"WEBP"
            assert headers["Cache-Control"] == "public, max-age=604800"
        keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]]
        assert len(keys) == 2 and all(key.startswith("products/") for key in keys)
        assert not media.exists()  # nothing was written on the web machine's disk
