"""Account health: admin-defined measures, thresholds, manual values, overrides, snapshots.

A score is 100 minus the points every active measure takes off: a measure takes off up to
its *weight*, in proportion to how bad its rule finds the account (``health.scoring`` builds
that as one SQL expression, so a page of accounts is scored in the database). Admins define
measures and thresholds in the Django admin; a weight changed there changes every score at
once, no code involved.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.dates import in_range_constraints
from core.dates import validate_in_range
from core.models import optional_link
from core.text import LONG_TEXT


class Rule(models.TextChoices):
    KPIS_AT_RISK = "kpis_at_risk", "Share of active KPIs Overdue or Blocked"
    OVERDUE_TASKS = "overdue_tasks", "Overdue case tasks and playbook tasks"
    OLDEST_CASE = "oldest_case", "Age of the oldest open success case"
    INACTIVITY = "inactivity", "Days since the last comment, work note or CS activity"
    UNSUCCESSFUL_CLOSURES = "unsuccessful_closures", "Unsuccessful closures in the last 90 days"
    RENEWAL_BLOCKED = "renewal_blocked", "Renewal near with Blocked KPIs"
    MANUAL = "manual", "Manual: set by Customer Success (red, amber, green)"


#: What a rule's target means, and its value when the admin leaves it blank.
TARGETS = {
    Rule.OVERDUE_TASKS: ("overdue tasks that take off the whole weight", 5),
    Rule.OLDEST_CASE: ("days an open case may be old; half the weight past it, all at twice", 30),
    Rule.INACTIVITY: ("days without activity; half the weight past it, all at twice", 14),
    Rule.RENEWAL_BLOCKED: ("days before renewal from which Blocked KPIs count", 90),
}


class Colour(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class Measure(models.Model):
    name = models.CharField(max_length=100, unique=True)
    rule = models.CharField(max_length=30, choices=Rule.choices)
    weight = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(100)],
        help_text="The most points (0 to 100) this measure takes off the score of 100.",
    )
    target = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=(
            "Overdue tasks: how many take off the whole weight (5). Oldest case and inactivity:"
            " days (30, 14). Renewal: days before it (90). Ignored by the other rules."
        ),
    )
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_target(self) -> int:
        return self.target if self.target else TARGETS.get(self.rule, ("", 0))[1]


class HealthSettings(models.Model):
    """The one row of thresholds (and which closure codes count as unsuccessful)."""

    green_from = models.PositiveSmallIntegerField(
        default=70, validators=[MaxValueValidator(100)], help_text="Scores from here are green."
    )
    amber_from = models.PositiveSmallIntegerField(
        default=40,
        validators=[MaxValueValidator(100)],
        help_text="Scores from here up to green are amber; below are red.",
    )
    unsuccessful_codes = models.ManyToManyField(
        "playbooks.ClosureCode",
        blank=True,
        related_name="+",
        verbose_name="unsuccessful closure codes",
        help_text="Closure codes that count against an account's health.",
    )

    class Meta:
        verbose_name = "health settings"
        verbose_name_plural = "health settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(amber_from__lt=models.F("green_from")),
                name="health_thresholds_in_order",
                violation_error_message="Amber must start below green.",
            ),
        ]

    def __str__(self) -> str:
        return f"Green from {self.green_from}, amber from {self.amber_from}"

    def clean(self) -> None:
        super().clean()
        both = self.amber_from is not None and self.green_from is not None
        if both and self.amber_from >= self.green_from:
            raise ValidationError(
                {"amber_from": "Amber must start below green (thresholds in order)."}
            )

    @classmethod
    def current(cls) -> HealthSettings:
        return cls.objects.first() or cls(green_from=70, amber_from=40)

    def colour_of(self, score: int | None) -> str | None:
        if score is None:
            return None
        if score >= self.green_from:
            return Colour.GREEN
        return Colour.AMBER if score >= self.amber_from else Colour.RED


class ManualValue(models.Model):
    """A CSM's reading of a manual measure (e.g. Sentiment); the newest one counts."""

    account = models.ForeignKey(
        "engagements.Account", on_delete=models.CASCADE, related_name="manual_health"
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="values",
        limit_choices_to={"rule": Rule.MANUAL},
    )
    value = models.CharField(max_length=10, choices=Colour.choices)
    note = models.TextField(max_length=LONG_TEXT)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["account", "measure", "-set_at"], name="manual_latest")]

    def __str__(self) -> str:
        return f"{self.measure}: {self.get_value_display()}"


class Override(models.Model):
    """A CSM's score for an account until ``expires_on`` (inclusive), with the reason."""

    account = models.ForeignKey(
        "engagements.Account", on_delete=models.CASCADE, related_name="health_overrides"
    )
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    reason = models.TextField(max_length=LONG_TEXT)
    expires_on = models.DateField(validators=[validate_in_range])
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["account", "-set_at"], name="override_latest")]
        constraints = [
            *in_range_constraints("health_override", "expires_on"),
            models.CheckConstraint(condition=Q(score__lte=100), name="override_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.score} until {self.expires_on:%Y-%m-%d}"


class Snapshot(models.Model):
    """An account's score on one day (``manage.py snapshot_health``; one per day)."""

    account = models.ForeignKey(
        "engagements.Account", on_delete=models.CASCADE, related_name="health_snapshots"
    )
    day = models.DateField()
    score = models.PositiveSmallIntegerField()  # the score shown: the override's when there is one
    computed = models.PositiveSmallIntegerField()  # what the measures gave
    colour = models.CharField(max_length=10, choices=Colour.choices)
    overridden = models.BooleanField(default=False)
    # score minus the account's previous snapshot's (None for its first): the timeline shows
    # the days it moved without comparing rows.
    change = models.SmallIntegerField(null=True, blank=True)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="snapshot_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day}: {self.score}"


class AccountHealth(models.Model):
    """The account's current score, kept so the accounts list reads, sorts and filters it as a
    plain column (an indexed join) instead of computing every account's score.

    Written by ``services.health_refresh``: the daily snapshot (every account), a task after
    the domain events that move a measure (the accounts concerned), and the manual value and
    override services (directly). The account page still computes and explains the live
    score; this row is what it gave at ``computed_at``. The colour is not stored: it is the
    thresholds' reading of the score, so a threshold change shows at once.
    """

    account = models.OneToOneField(
        "engagements.Account", on_delete=models.CASCADE, primary_key=True, related_name="health"
    )
    score = models.PositiveSmallIntegerField()  # the score shown: the override's when there is one
    computed = models.PositiveSmallIntegerField()  # what the measures gave
    overridden = models.BooleanField(default=False)
    # score minus the snapshot of 30 days ago (None without one)
    change_30d = models.SmallIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "account health"
        verbose_name_plural = "account health"
        indexes = [
            models.Index(fields=["score", "account"], name="account_health_score"),
            models.Index(fields=["change_30d", "account"], name="account_health_change"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.score}"


class PlanRecordChange(models.Model):
    """An objective, playbook or playbook task of a success plan added, edited, deleted or
    moved to a new status: the account timeline's history of them (they keep none).

    Written by the listener of ``plan_record.changed`` (``health.listeners``), in the
    transaction of the change; the record may be gone since, so its name is kept here.
    """

    class Record(models.TextChoices):
        OBJECTIVE = "objective", "Objective"
        PLAYBOOK = "playbook", "Playbook"
        TASK = "task", "Playbook task"

    plan = models.ForeignKey(
        "successplans.SuccessPlan", on_delete=models.CASCADE, related_name="record_changes"
    )
    record = models.CharField(max_length=20, choices=Record.choices)
    record_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=255)
    change = models.CharField(max_length=50)  # added, edited, deleted or the new status
    actor = optional_link(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["plan", "-at"], name="plan_record_change_latest")]

    def __str__(self) -> str:
        return f"{self.get_record_display()} {self.name}: {self.change}"
