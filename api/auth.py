"""Bearer tokens for the API, their scopes, and a rate limit per token."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions, permissions, throttling

from .models import TOKEN_PREFIX, ApiToken, hash_token

LAST_USED_EVERY = timedelta(minutes=1)  # write "last used" at most this often per token


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer ksk_…`. A revoked or unknown token is a 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, raw = header.partition(" ")
        if keyword != self.keyword:
            return None
        raw = raw.strip()
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
            raise exceptions.AuthenticationFailed("This is not an API token.")
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
        if token is None or not token.is_active or not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token is unknown or was revoked.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScope(permissions.BasePermission):
    """Reading needs any token; changing something needs a read-and-write token."""

    message = "This token may only read: make a read-and-write token to change things."

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        return request.method in permissions.SAFE_METHODS or token.scope == ApiToken.Scope.WRITE


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """So many requests per token per minute (API_RATE_LIMIT); then 429 with Retry-After."""

    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return self.get_ident(request)
