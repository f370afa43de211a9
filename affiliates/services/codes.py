"""Creator codes: a creator makes their code for a shop; the seller sets what it gives the
buyer, when it works, how often, and may switch it off. The checkout reads codes through
CodeBook (shops.codes), registered when the app starts."""

import re
import secrets
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from shops.codes import CodeOffer

from ..models import AffiliateProgram, Collaboration, Creator, CreatorCode, normalize_code
from ..models.content import CODE_PATTERN

User = AbstractBaseUser
CODE_SHAPE = re.compile(r"[A-Z0-9]{4,20}")


def _may_promote_at(creator: Creator, program: AffiliateProgram) -> bool:
    """Does the creator work with this shop: an active collaboration, an approved
    application, or open products they may promote without one?"""
    now = timezone.now()
    if any(c.is_active_at(now) for c in Collaboration.objects.filter(program=program, creator=creator)):
        return True
    if program.applications.filter(creator=creator, status="approved").exists():
        return True
    return not program.requires_approval and (program.all_products_open or program.open_products.exists())


def _suggested(creator: Creator, program: AffiliateProgram) -> str:
    stem = re.sub(r"[^A-Z0-9]", "", (creator.handle or "").upper())[:12] or "CODE"
    suggestion = f"{stem}{int(program.default_rate)}"
    if len(suggestion) < 4 or CreatorCode.objects.filter(program=program, code=suggestion).exists():
        suggestion = f"{stem[:10]}{secrets.randbelow(90_000) + 10_000}"
    return suggestion


@transaction.atomic
def code_create(*, creator: Creator, program: AffiliateProgram, code: str = "") -> CreatorCode:
    """The creator's code at this shop: the one they chose (letters and digits, any case),
    or one made from their handle. One code per creator and shop; unique at the shop."""
    if not creator.is_approved:
        raise ValidationError("Your creator account must be approved before you make codes.")
    if not program.is_active:
        raise ValidationError("This shop is not in the affiliate program.")
    if not _may_promote_at(creator, program):
        raise ValidationError("You can make a code for a shop once you may promote its products: apply first.")
    if CreatorCode.objects.filter(program=program, creator=creator).exists():
        raise ValidationError("You already have a code at this shop.")
    text = normalize_code(code) or _suggested(creator, program)
    try:
        CODE_PATTERN(text)
    except ValidationError as exc:
        raise ValidationError({"code": exc.messages}) from exc
    try:
        with transaction.atomic():
            return CreatorCode.objects.create(program=program, creator=creator, code=text, created_at=timezone.now())
    except IntegrityError as exc:
        raise ValidationError({"code": f"{text} is taken at this shop: choose another."}) from exc


def _check_terms(code: CreatorCode) -> None:
    if code.discount_kind == CreatorCode.Discount.PERCENT and not (0 < code.discount_value <= 90):
        raise ValidationError({"discount_value": "A percent discount is between 0 and 90 %."})
    if code.discount_kind == CreatorCode.Discount.FIXED and code.discount_value <= 0:
        raise ValidationError({"discount_value": "Enter the amount off."})
    if code.discount_kind == CreatorCode.Discount.NONE:
        code.discount_value, code.discount_cap = Decimal("0"), None
    if code.starts_on and code.ends_on and code.ends_on < code.starts_on:
        raise ValidationError({"ends_on": "The end is before the start."})
    if code.usage_limit is not None and code.usage_limit < code.uses:
        raise ValidationError({"usage_limit": f"It has been used {code.uses} times already."})


@transaction.atomic
def code_update(*, code: CreatorCode, by: User, discount_kind: str, discount_value: Decimal,
                discount_cap: Decimal | None, starts_on: date | None, ends_on: date | None,
                usage_limit: int | None, is_active: bool) -> CreatorCode:
    """The seller's terms for one code."""
    code = CreatorCode.objects.select_for_update().get(pk=code.pk)
    code.discount_kind, code.discount_value, code.discount_cap = discount_kind, discount_value, discount_cap
    code.starts_on, code.ends_on, code.usage_limit, code.is_active = starts_on, ends_on, usage_limit, is_active
    _check_terms(code)
    code.save()
    return code


class CreatorCodeBook:
    """shops.codes.CodeBook over creator codes."""

    def _find(self, shop_id: int, text: str) -> CreatorCode:
        code = normalize_code(text)
        if not CODE_SHAPE.fullmatch(code):  # not even shaped like a code: no need to ask the database
            raise ValidationError("That is not a code: codes are 4 to 20 letters and digits.")
        found = (CreatorCode.objects.filter(program__shop_id=shop_id, code=code)
                 .select_related("creator", "program__shop").first())
        if found is None:
            raise ValidationError(f"There is no code {code} at this shop.")
        return found

    def offer(self, *, shop_id: int, text: str) -> CodeOffer:
        code = self._find(shop_id, text)
        today = timezone.now().date()
        if not code.is_active or not code.program.is_active or not code.creator.is_approved:
            raise ValidationError(f"The code {code.code} is no longer valid.")
        if code.starts_on and today < code.starts_on:
            raise ValidationError(f"The code {code.code} works from {code.starts_on:%Y-%m-%d}.")
        if code.ends_on and today > code.ends_on:
            raise ValidationError(f"The code {code.code} ended on {code.ends_on:%Y-%m-%d}.")
        if code.usage_limit is not None and code.uses >= code.usage_limit:
            raise ValidationError(f"The code {code.code} has been used as often as the shop allows.")
        percent = code.discount_value if code.discount_kind == CreatorCode.Discount.PERCENT else None
        amount = code.discount_value if code.discount_kind == CreatorCode.Discount.FIXED else None
        currency = code.program.shop.currency
        return CodeOffer(code=code.code, percent=percent or None, amount=amount or None, cap=code.discount_cap,
                         description=f"{code.describe_discount(currency)}, with @{code.creator.handle}'s code")

    def use(self, *, shop_id: int, code: str) -> bool:
        # One conditional UPDATE on the code's own row: concurrent checkouts queue on its lock,
        # and PostgreSQL checks the condition again on the row each finds, so none passes the
        # limit. (A condition through a join would be checked on the old snapshot instead.)
        pk = CreatorCode.objects.filter(program__shop_id=shop_id, code=code).values_list("pk", flat=True).first()
        return pk is not None and bool(
            CreatorCode.objects.filter(pk=pk).filter(Q(usage_limit__isnull=True) | Q(uses__lt=F("usage_limit")))
            .update(uses=F("uses") + 1))

    def release(self, *, shop_id: int, code: str) -> None:
        pk = CreatorCode.objects.filter(program__shop_id=shop_id, code=code).values_list("pk", flat=True).first()
        CreatorCode.objects.filter(pk=pk, uses__gt=0).update(uses=F("uses") - 1)
