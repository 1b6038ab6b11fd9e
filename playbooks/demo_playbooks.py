"""The demo's second and third playbooks, in the import format (``playbook_import``)."""

from __future__ import annotations

from . import services
from .models import PlaybookDefinition

ONBOARDING = """\
playbook: Onboarding play
description: The first weeks of a new customer, from welcome to go-live.
lanes:
  initiate:
  - name: Select engagement
    kind: select_engagement
  - name: Enter core information
    kind: core_information
  - name: Add squad
    kind: add_squad
  assist:
  - name: Welcome the customer
    kind: comment
    instructions: Send the customer a welcome comment naming their squad and the go-live goal.
  - name: Kickoff meeting
    kind: related_meeting
    instructions: Hold the kickoff with the customer's project team; complete or cancel it.
  - name: Configure and train
    kind: related_work
    instructions: One task per configuration or training step; complete or cancel each.
  review_close:
  - name: Confirm go-live
    kind: comment
    instructions: Tell the customer what is live and who to call.
  - name: Close record
    kind: close_record
"""

RENEWAL = """\
playbook: Renewal play
description: Ninety days before a renewal date, prove the value and secure the renewal.
lanes:
  initiate:
  - name: Select engagement
    kind: select_engagement
  - name: Enter core information
    kind: core_information
  - name: Add squad
    kind: add_squad
  assist:
  - name: Review usage and health
    kind: work_note
    instructions: Note the usage, health score and open risks the renewal depends on.
  - name: Executive business review
    kind: related_meeting
  - name: Send the renewal proposal
    kind: related_work
  review_close:
  - name: Communicate the renewal outcome
    kind: comment
  - name: Close record
    kind: close_record
"""

DEMO_PLAYBOOKS = [ONBOARDING, RENEWAL]


def seed_playbooks() -> None:
    """Import the demo playbooks that do not exist yet (a second run changes nothing)."""
    names = set(PlaybookDefinition.objects.values_list("name", flat=True))
    for text in DEMO_PLAYBOOKS:
        if text.splitlines()[0].removeprefix("playbook: ") not in names:
            services.playbook_import(text=text)
