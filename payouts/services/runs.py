"""Monthly payout runs and the payouts they make: computed per creator and currency,
approved by finance, exported, then marked paid (or failed, which returns the money to
the balance). One payout per (creator, period, currency), by constraint."""

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from common.money import money_sum
from common.transitions import allowed, record_many, sources, transition

from .. import emails, signals
from ..models import Commission, LedgerEntry, Payout, PayoutRun
from ..months import month_start, next_month
from ..rules import payout_minimum

logger = logging.getLogger(__name__)


def _by(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@transaction.atomic
def payout_run_start(*, period: date, by=None) -> tuple[PayoutRun, bool]:
    """Start the run for a month that is over (or find it: one run per month). The
    computation follows in a task (payouts.receivers queues it after commit)."""
    period = month_start(period)
    cutoff = datetime.combine(next_month(period), datetime.min.time(), tzinfo=UTC)
    if cutoff > timezone.now():
        raise ValidationError(f"{period:%B %Y} is not over yet; its run can start on {cutoff:%Y-%m-%d}.")
    run, created = PayoutRun.objects.get_or_create(
        period=period, defaults={"cutoff": cutoff, "started_at": timezone.now(), "started_by": _by(by)})
    if created:
        transaction.on_commit(lambda: signals.payout_run_started.send(sender=PayoutRun, run=run))
        logger.info("payout run %s started by user %s", period, getattr(by, "pk", None))
    return run, created


def payout_run_compute(*, run: PayoutRun, chunk: int = 2000) -> PayoutRun:
    """Make one payout per creator and currency whose balance before the cutoff reaches the
    minimum, and debit it from the ledger. Chunks commit one by one (progress shows in the
    admin); a rerun after a crash skips what exists, so nobody is paid twice.

    A payout never exceeds what is unpaid now (this run's own debits aside): money paid
    since the cutoff, by an early payout approved before the run, is not paid again, and
    a clawback that came in meanwhile is netted rather than left as a negative balance.
    """
    run = PayoutRun.objects.get(pk=run.pk)
    if run.status != PayoutRun.Status.COMPUTING:
        return run
    before_cutoff = Q(created_at__lt=run.cutoff)
    rows = list(
        LedgerEntry.objects.values("creator_id", "currency")
        .annotate(before=Sum("amount", filter=before_cutoff), last=Max("id", filter=before_cutoff),
                  unpaid=Sum("amount", filter=~Q(payout_id__in=Payout.objects.filter(run=run).values("pk"))))
        .filter(before__isnull=False).order_by("creator_id", "currency")
    )
    for row in rows:
        row["balance"] = min(money_sum(row["before"], row["currency"]), money_sum(row["unpaid"], row["currency"]))
    due = [row for row in rows if row["balance"] >= payout_minimum(row["currency"])]
    PayoutRun.objects.filter(pk=run.pk).update(total=len(due), done=0)
    for start in range(0, len(due), chunk):
        part = due[start:start + chunk]
        with transaction.atomic():
            now = timezone.now()
            Payout.objects.bulk_create(
                [Payout(run=run, kind=Payout.Kind.MONTHLY, creator_id=row["creator_id"], period=run.period,
                        currency=row["currency"], amount=row["balance"], covers_through=row["last"], created_at=now)
                 for row in part], ignore_conflicts=True, batch_size=5000)
            debited = LedgerEntry.objects.filter(payout=OuterRef("pk"), kind=LedgerEntry.Kind.PAYOUT)
            undebited = list(Payout.objects.filter(run=run, creator_id__in={row["creator_id"] for row in part})
                             .exclude(Exists(debited)).values_list("pk", "creator_id", "currency", "amount"))
            LedgerEntry.objects.bulk_create(
                [LedgerEntry(creator_id=creator_id, currency=currency, kind=LedgerEntry.Kind.PAYOUT, amount=-amount,
                             payout_id=pk, created_at=now, note=f"Payout for {run.period:%Y-%m}")
                 for pk, creator_id, currency, amount in undebited], ignore_conflicts=True, batch_size=5000)
            PayoutRun.objects.filter(pk=run.pk).update(done=F("done") + len(part))
            made = [pk for pk, *_ in undebited]
            transaction.on_commit(lambda made=made: signals.payouts_created.send(sender=Payout, ids=made))
    with transaction.atomic():
        run = PayoutRun.objects.select_for_update().get(pk=run.pk)
        if run.status == PayoutRun.Status.COMPUTING:  # a parallel computation may have finished it
            run = transition(run, to=PayoutRun.Status.READY, reason=f"{run.total} payouts computed",
                             computed_at=timezone.now())
    logger.info("payout run %s computed: %s payouts", run.period, run.total)
    return run


@transaction.atomic
def payout_run_approve(*, run: PayoutRun, by) -> PayoutRun:
    """Finance approves a computed run; then it can be exported and paid."""
    run = transition(run, to=PayoutRun.Status.APPROVED, by=by, reason="Approved by finance",
                     approved_at=timezone.now(), approved_by=_by(by))
    logger.info("payout run %s approved by user %s", run.period, by.pk)
    return run


def _commissions_paid_by(payouts, *, by) -> int:
    """Approved commissions credited at or before each paid payout's last entry become paid,
    each with its audit event."""
    credit = LedgerEntry.objects.filter(commission=OuterRef("pk"), kind=LedgerEntry.Kind.COMMISSION).values("id")[:1]
    covering = Payout.objects.filter(pk__in=[p.pk for p in payouts], creator=OuterRef("creator"),
                                     currency=OuterRef("currency"), covers_through__gte=OuterRef("credit_id"))
    paid_from = sources(Commission, Commission.Status.PAID)
    ids = list(Commission.objects.filter(status__in=paid_from, creator__in={p.creator_id for p in payouts})
               .annotate(credit_id=Subquery(credit)).filter(Exists(covering)).values_list("pk", flat=True))
    Commission.objects.filter(pk__in=ids).update(status=Commission.Status.PAID)
    record_many(Commission, [{"object_id": pk, "from_status": paid_from[0], "to_status": Commission.Status.PAID,
                              "reason": "Paid out", "by_id": getattr(_by(by), "pk", None)} for pk in ids])
    return len(ids)


def _close_run_when_settled(run_id: int) -> None:
    """A run is paid once none of its payouts waits any more (each is paid or failed)."""
    run = PayoutRun.objects.select_for_update().get(pk=run_id)
    if allowed(run, PayoutRun.Status.PAID) and not run.payouts.filter(status=Payout.Status.PENDING).exists():
        transition(run, to=PayoutRun.Status.PAID, reason="Every payout paid or failed")


@transaction.atomic
def payouts_mark_paid(*, payouts: Iterable[Payout], by, reference: str = "") -> int:
    """The payment provider paid them: payouts and the commissions they cover become paid."""
    reference = reference.strip()
    if len(reference) > Payout._meta.get_field("reference").max_length:
        raise ValidationError("A payment reference has at most 100 characters.")
    payouts = list(Payout.objects.select_for_update(of=("self",)).filter(pk__in=[p.pk for p in payouts])
                   .select_related("run", "creator__user"))
    for payout in payouts:
        if not allowed(payout, Payout.Status.PAID):
            raise ValidationError(f"{payout} is {payout.get_status_display().lower()}; it cannot become paid.")
        if payout.run is not None and payout.run.status != PayoutRun.Status.APPROVED:
            raise ValidationError(f"The run of {payout} is not approved yet.")
    now = timezone.now()
    paid = []
    for payout in payouts:  # one move per payout: each keeps its audit entry (who, reference)
        paid.append(transition(payout, to=Payout.Status.PAID, by=by, reason=f"Reference {reference}", paid_at=now,
                               reference=reference))
        emails.payout_paid(paid[-1])
    payouts = paid
    _commissions_paid_by(payouts, by=by)
    for run_id in {p.run_id for p in payouts if p.run_id}:
        _close_run_when_settled(run_id)
    for payout in payouts:
        logger.info("payout %s paid: %s %s by user %s", payout.pk, payout.amount, payout.currency, by.pk)
    return len(payouts)


@transaction.atomic
def payout_mark_failed(*, payout: Payout, by, reason: str) -> Payout:
    """The provider could not pay: the amount goes back to the creator's balance."""
    if not reason.strip():
        raise ValidationError("Give the reason the payment failed.")
    payout = transition(payout, to=Payout.Status.FAILED, by=by, reason=reason.strip(),
                        failure_reason=reason.strip()[:500])
    LedgerEntry.objects.create(creator_id=payout.creator_id, currency=payout.currency,
                               kind=LedgerEntry.Kind.PAYOUT_RETURNED, amount=payout.amount, payout=payout,
                               note=f"Payout failed: {payout.failure_reason}", created_by=_by(by),
                               created_at=timezone.now())
    if payout.run_id:
        _close_run_when_settled(payout.run_id)
    logger.info("payout %s failed: %s %s returned, by user %s", payout.pk, payout.amount, payout.currency, by.pk)
    return payout
