"""Every write of the affiliates app. Keyword-only, typed, atomic, named <thing>_<verb>."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import Creator


@transaction.atomic
def creator_register(*, user: AbstractBaseUser) -> Creator:
    """Give the user the creator role, pending staff approval. Calling it again changes nothing."""
    creator, _ = Creator.objects.get_or_create(user=user)
    return creator
