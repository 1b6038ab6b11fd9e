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
