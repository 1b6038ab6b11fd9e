"""The default playbook, in the words of the seed, and default closure codes.

Data migrations load these into ``ActivityDefinition`` and ``ClosureCode``;
admins change them afterwards in the Django admin.
"""

# phase, order, name, kind, instructions
SEED_PLAYBOOK = [
    (
        "initiate",
        1,
        "Select engagement",
        "select_engagement",
        "In the Engagement field, select the engagement for which the success case is being "
        "created and click Continue. A success case record is created.",
    ),
    (
        "initiate",
        2,
        "Enter core information",
        "core_information",
        "Enter the details for the success case record and click Mark Complete to move to the "
        "next activity.",
    ),
    (
        "initiate",
        3,
        "Add squad",
        "add_squad",
        "Select one or more squad members who will be involved in the success case and the "
        "related activities and click Mark Complete to move to the next stage.",
    ),
    (
        "assist",
        1,
        "Communicate the intended outcome",
        "comment",
        "Enter a comment to describe the expected outcome for this playbook. Click Send and "
        "continue to proceed to the next activity.",
    ),
    (
        "assist",
        2,
        "Define the action plan",
        "work_note",
        "Specify the action plan for this playbook. This will appear in the work notes. Click "
        "Send and continue to proceed to the next activity.",
    ),
    (
        "assist",
        3,
        "Related meeting",
        "related_meeting",
        "Create meetings for this success case. Meetings in a Draft or Scheduled state are shown "
        "here; update each to Complete or Canceled, then click Mark Complete.",
    ),
    (
        "assist",
        4,
        "Related work",
        "related_work",
        "Click Create Task to create a success case task. Tasks in a New, In progress or Paused "
        "state are shown here; update each to Complete or Canceled, then click Mark Complete.",
    ),
    (
        "review_close",
        1,
        "Communicate the final outcome",
        "comment",
        "Enter a comment to describe the final outcome for this playbook. Click Send and "
        "continue to proceed to the next activity.",
    ),
    (
        "review_close",
        2,
        "Close record",
        "close_record",
        "Select the Closure code and enter Close notes for this playbook and click Mark Complete.",
    ),
]

CLOSURE_CODES = [
    "Outcome achieved",
    "Outcome partially achieved",
    "Outcome not achieved",
    "Customer no longer engaged",
    "Superseded by another case",
]

DEFAULT_PLAYBOOK_NAME = "Success case playbook"
DEFAULT_PLAYBOOK_DESCRIPTION = (
    "The seed's success case playbook: Initiate, Assist, Review & Close for one engagement."
)


def load_default_playbook(apps) -> None:
    """The default playbook (version 1 holds the seed's activities) and the closure codes.

    Idempotent; used by migration 0013 and by the tests that reload what the data
    migrations made after a flush. ``apps`` is a migration's or the real app registry.
    """
    PlaybookDefinition = apps.get_model("playbooks", "PlaybookDefinition")
    PlaybookVersion = apps.get_model("playbooks", "PlaybookVersion")
    ActivityDefinition = apps.get_model("playbooks", "ActivityDefinition")
    ClosureCode = apps.get_model("playbooks", "ClosureCode")
    definition = PlaybookDefinition.objects.filter(is_default=True).first()
    if definition is None:
        definition, _ = PlaybookDefinition.objects.get_or_create(
            name=DEFAULT_PLAYBOOK_NAME,
            defaults={"description": DEFAULT_PLAYBOOK_DESCRIPTION, "is_default": True},
        )
    version, _ = PlaybookVersion.objects.get_or_create(definition=definition, number=1)
    if not ActivityDefinition.objects.filter(version=version).exists():
        ActivityDefinition.objects.bulk_create(
            ActivityDefinition(
                version=version,
                phase=phase,
                order=order,
                name=name,
                kind=kind,
                instructions=instructions,
            )
            for phase, order, name, kind, instructions in SEED_PLAYBOOK
        )
    for order, name in enumerate(CLOSURE_CODES, start=1):
        ClosureCode.objects.get_or_create(name=name, defaults={"order": order})
