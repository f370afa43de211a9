"""The ops console at /ops/: named for the product, and signed into through allauth
so allauth's login rate limits apply and non-staff are refused. Changelist searches are
kept to a size the database answers quickly: every word of a search becomes one more
condition per search field, so a pasted paragraph would make a query too big to run."""

from functools import wraps

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.forms import ModelForm
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import PeriodicTask

SEARCH_WORDS = 8
SEARCH_CHARS = 200

admin.site.site_header = f"{settings.SITE_NAME} ops"
admin.site.site_title = f"{settings.SITE_NAME} ops"
admin.site.index_title = "Platform operations"
admin.site.login = secure_admin_login(admin.site.login)


def _search_kept_small(view):
    @wraps(view)
    def inner(request, *args, **kwargs):
        search = request.GET.get(SEARCH_VAR, "")
        words = search[:SEARCH_CHARS].split()[:SEARCH_WORDS]
        if search.split() != words:
            request.GET = request.GET.copy()
            request.GET[SEARCH_VAR] = " ".join(words)
            messages.info(request, f"Searched for the first {len(words)} words ({SEARCH_CHARS} characters at most).")
        return view(request, *args, **kwargs)

    return inner


_admin_view = admin.site.admin_view
admin.site.admin_view = lambda view, cacheable=False: _admin_view(_search_kept_small(view), cacheable)


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    """django-celery-beat's form reads cleaned_data["task"] even when that field was invalid
    (too long, say): a KeyError, so a 500. Here the field's own error is shown instead."""

    def clean(self):
        if "task" in self._errors:
            return ModelForm.clean(self)
        return super().clean()


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskForm


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, PeriodicTaskAdmin)
