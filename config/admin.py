"""The ops console at /ops/: named for the product, and signed into through allauth
so allauth's login rate limits apply and non-staff are refused."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin

admin.site.site_header = f"{settings.SITE_NAME} ops"
admin.site.site_title = f"{settings.SITE_NAME} ops"
admin.site.index_title = "Platform operations"
admin.site.login = secure_admin_login(admin.site.login)
