"""Playbook definitions, their versions, and their export to and import from YAML.

A case follows the latest version of the playbook chosen at New and keeps it. A version
that a case uses never changes: editing a playbook whose latest version is in use starts a
new version (a copy) first. Versions are numbered per playbook from 1.
"""

from __future__ import annotations

import yaml
from django.db import transaction
from django.db.models import Max

from core.copies import copy_of
from core.errors import DomainError

from ..models import LANES
from ..models import ActivityDefinition
from ..models import ActivityKind
from ..models import Phase
from ..models import PlaybookDefinition
from ..models import PlaybookVersion
from ..models import SuccessCase

#: Most bytes an import file may have (a playbook of a few dozen activities is ~10 KB).
IMPORT_MAX_BYTES = 200_000


def playbook_version_current(playbook: PlaybookDefinition | None = None) -> PlaybookVersion | None:
    """The version a new case of ``playbook`` (the default one when None) follows: its latest."""
    versions = PlaybookVersion.objects.select_related("definition").order_by("-number")
    if playbook is None:
        return versions.filter(definition__is_default=True).first()
    return versions.filter(definition=playbook).first()


def version_in_use(version: PlaybookVersion) -> bool:
    return SuccessCase.objects.filter(playbook_version=version).exists()


#: What a new version copies of each activity of the version it starts from.
_ACTIVITY_FIELDS = ("phase", "order", "name", "kind", "instructions", "active")


def _copy_activities(source: PlaybookVersion, target: PlaybookVersion) -> None:
    ActivityDefinition.objects.bulk_create(
        copy_of(ActivityDefinition, a, _ACTIVITY_FIELDS, version=target)
        for a in source.activities.all()
    )


def _next_version(definition: PlaybookDefinition) -> PlaybookVersion:
    # Lock the playbook so two admins starting a version at once get 2 and 3, not 2 twice.
    PlaybookDefinition.objects.select_for_update().filter(pk=definition.pk).first()
    latest = definition.versions.aggregate(n=Max("number"))["n"] or 0
    return PlaybookVersion.objects.create(definition=definition, number=latest + 1)


@transaction.atomic
def playbook_version_for_editing(*, definition: PlaybookDefinition) -> tuple[PlaybookVersion, bool]:
    """The version an administrator edits: the latest while no case uses it, else a copy of
    it as the next version. Returns the version and whether it was just created."""
    latest = playbook_version_current(definition)
    if latest is not None and not version_in_use(latest):
        return latest, False
    version = _next_version(definition)
    if latest is not None:
        _copy_activities(latest, version)
    return version, True


@transaction.atomic
def playbook_make_default(*, definition: PlaybookDefinition) -> None:
    """Make ``definition`` the one playbook New preselects."""
    if not definition.versions.exists():
        raise DomainError(f"{definition.name} has no version yet; give it activities first.")
    PlaybookDefinition.objects.filter(is_default=True).exclude(pk=definition.pk).update(
        is_default=False
    )
    PlaybookDefinition.objects.filter(pk=definition.pk).update(is_default=True)
    definition.is_default = True


# -- export and import ---------------------------------------------------------------------


def playbook_export(*, version: PlaybookVersion) -> str:
    """The version as YAML: the playbook's name and description, and its lanes' activities
    in order (an activity's order is its place in its lane's list)."""
    lanes: dict[str, list[dict]] = {lane.value: [] for lane in LANES}
    for activity in version.activities.order_by("order"):
        item = {"name": activity.name, "kind": activity.kind}
        if activity.instructions:
            item["instructions"] = activity.instructions
        if not activity.active:
            item["active"] = False
        lanes[activity.phase].append(item)
    document = {
        "playbook": version.definition.name,
        "description": version.definition.description,
        "version": version.number,
        "lanes": lanes,
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=88)


def _text(value, where: str, *, required: bool = True, limit: int = 100) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise DomainError(f"{where} must be a text.")
    if len(value) > limit:
        raise DomainError(f"{where} is longer than {limit} characters.")
    return value.strip()


def _parse(text: str) -> tuple[str, str, list[ActivityDefinition]]:
    """Read and check an import file: the name, description and unsaved activities."""
    if len(text.encode()) > IMPORT_MAX_BYTES:
        raise DomainError(f"The file is larger than {IMPORT_MAX_BYTES // 1000} KB.")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise DomainError(f"The file is not valid YAML{where}.") from None
    if not isinstance(document, dict):
        raise DomainError("The file must be a playbook: playbook, description and lanes.")
    unknown = set(document) - {"playbook", "description", "version", "lanes"}
    if unknown:
        raise DomainError(f"Unknown key “{sorted(map(str, unknown))[0]}” in the file.")
    name = _text(document.get("playbook"), "playbook (the name)")
    description = _text(document.get("description"), "description", required=False, limit=5000)
    lanes = document.get("lanes")
    if not isinstance(lanes, dict):
        raise DomainError("lanes must map each lane (initiate, assist, review_close) to a list.")
    phases = [lane.value for lane in LANES]
    kinds = [kind.value for kind in ActivityKind]
    activities = []
    seen: set[str] = set()
    for phase, items in lanes.items():
        if phase not in phases:
            raise DomainError(f"Unknown lane “{phase}”; the lanes are {', '.join(phases)}.")
        label = Phase(phase).label
        if items is None:
            continue
        if not isinstance(items, list):
            raise DomainError(f"Lane {label} must be a list of activities.")
        for order, item in enumerate(items, start=1):
            where = f"{label}, activity {order}"
            if not isinstance(item, dict):
                raise DomainError(f"{where} must have a name and a kind.")
            extra = set(item) - {"name", "kind", "instructions", "active"}
            if extra:
                raise DomainError(f"{where}: unknown key “{sorted(map(str, extra))[0]}”.")
            activity_name = _text(item.get("name"), f"{where}: name")
            kind = item.get("kind")
            if kind not in kinds:
                raise DomainError(
                    f"{where} (“{activity_name}”): unknown kind “{kind}”; "
                    f"the kinds are {', '.join(kinds)}."
                )
            if activity_name.casefold() in seen:
                raise DomainError(f"{where}: “{activity_name}” is in the playbook twice.")
            seen.add(activity_name.casefold())
            active = item.get("active", True)
            if not isinstance(active, bool):
                raise DomainError(f"{where}: active must be true or false.")
            activities.append(
                ActivityDefinition(
                    phase=phase,
                    order=order,
                    name=activity_name,
                    kind=kind,
                    instructions=_text(
                        item.get("instructions"),
                        f"{where}: instructions",
                        required=False,
                        limit=5000,
                    ),
                    active=active,
                )
            )
    if not any(a.active for a in activities):
        raise DomainError("The playbook has no activities.")
    return name, description, activities


@transaction.atomic
def playbook_import(*, text: str, as_new: bool = False) -> PlaybookVersion:
    """Import a playbook file, all or nothing: a new version of the playbook of that name,
    or a new playbook (version 1) when none has it. ``as_new`` refuses an existing name."""
    name, description, activities = _parse(text)
    definition = PlaybookDefinition.objects.filter(name__iexact=name).first()
    if definition is not None and as_new:
        raise DomainError(f"A playbook named “{definition.name}” already exists; rename it.")
    if definition is None:
        definition = PlaybookDefinition.objects.create(name=name, description=description)
    elif description and description != definition.description:
        definition.description = description
        definition.save(update_fields=["description"])
    version = _next_version(definition)
    for activity in activities:
        activity.version = version
    ActivityDefinition.objects.bulk_create(activities)
    return version
