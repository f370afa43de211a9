"""What every API view shares: token authentication and scope, the rate limit, cursor
pagination, role scoping (a seller's shop, a creator), and date-range parameters."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import exceptions, generics, pagination, views

from affiliates.selectors import creator_for_user, program_for_shop
from shops.selectors import shop_for_user

from ..auth import TokenAuthentication, TokenRateThrottle, TokenScope

MAX_DAYS = 400


class Cursor(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"


class ApiView(views.APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [TokenScope]
    throttle_classes = [TokenRateThrottle]

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):  # a service's refusal: the caller's to fix
            exc = exceptions.ValidationError({"detail": exc.messages})
        return super().handle_exception(exc)


class ApiListView(ApiView, generics.ListAPIView):
    pagination_class = Cursor


class SellerScope:
    """The token's owner must be a seller: `self.shop` (and `self.program` if they need it)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.shop = shop_for_user(user=request.user)
        if self.shop is None:
            raise exceptions.PermissionDenied("This token's owner has no shop.")

    def get_program(self):
        program = program_for_shop(shop=self.shop)
        if program is None:
            raise exceptions.PermissionDenied("The shop is not in the affiliate program.")
        return program


class CreatorScope:
    """The token's owner must be a creator: `self.creator`."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.creator = creator_for_user(user=request.user)
        if self.creator is None:
            raise exceptions.PermissionDenied("This token's owner is not a creator.")


def day_param(request, name: str, default: date) -> date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise exceptions.ValidationError({name: "Use an ISO date, like 2026-11-30."}) from None


def date_range(request, *, default_days: int = 30) -> tuple[date, date]:
    """`start` and `end` (inclusive ISO dates), by default the last 30 days; at most 400 days."""
    today = timezone.now().date()
    end = day_param(request, "end", today)
    start = day_param(request, "start", end - timedelta(days=default_days - 1))
    if start > end:
        raise exceptions.ValidationError({"start": "start is after end."})
    if (end - start).days >= MAX_DAYS:
        raise exceptions.ValidationError({"start": f"At most {MAX_DAYS} days at once."})
    return start, end


def choice_param(request, name: str, choices, default=None):
    value = request.query_params.get(name, default)
    if value is not None and value not in choices:
        raise exceptions.ValidationError({name: f"One of: {', '.join(choices)}."})
    return value
