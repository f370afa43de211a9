"""Reads of the affiliates app that pages share."""

from django.contrib.auth.models import AbstractBaseUser

from .models import Creator


def creator_for_user(*, user: AbstractBaseUser) -> Creator | None:
    """The creator profile of this person, or None when they are not a creator."""
    if not user.is_authenticated:
        return None
    return Creator.objects.filter(user=user).first()
