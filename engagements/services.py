"""Every write of the engagements app: an account's facts, its contacts, logged activities.

Each change of a fact or a contact is logged (``AccountChange``: who, when, from → to), so
the account's timeline shows it and nothing is lost.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from core.errors import DomainError
from core.events import emit

from .models import Account
from .models import AccountActivity
from .models import AccountChange
from .models import Contact
from .models import Resource
from .validators import validate_phone


def _shown(account_or_contact, name: str) -> str:
    """A field's value as the page shows it ("" for none)."""
    value = getattr(account_or_contact, name)
    if value is None:
        return ""
    display = getattr(account_or_contact, f"get_{name}_display", None)
    return str(display() if display else value)


def _label(model, name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label if label.isupper() else label[:1].upper() + label[1:]


def _validate(instance, *, exclude: list[str] | None = None) -> None:
    """The model's own rules; the first message is refused next to its field."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if name == "__all__" else name) from error


@transaction.atomic
def account_facts_update(*, account: Account, data: dict, user) -> list[AccountChange]:
    """Change the facts in ``data`` (names from ``Account.FACT_FIELDS``); log each change."""
    unknown = set(data) - set(Account.FACT_FIELDS)
    if unknown:
        raise DomainError(f"These are not account facts: {', '.join(sorted(unknown))}.")
    csm = data.get("csm")
    if csm is not None and not Resource.objects.assignable().filter(pk=csm.pk).exists():
        raise DomainError("Choose an active resource that is not a PSA resource.", field="csm")
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("csm__user")
        .get(pk=account.pk)
    )
    before = {name: _shown(account, name) for name in data}
    for name, value in data.items():
        setattr(account, name, value)
    _validate(account, exclude=["name", "owner", "external_id", "industry"])
    changes = [
        AccountChange(
            account=account,
            actor=user,
            field=_label(Account, name),
            old_value=before[name][:300],
            new_value=_shown(account, name)[:300],
        )
        for name in data
        if _shown(account, name) != before[name]
    ]
    if changes:
        account.save(update_fields=list(data))
        AccountChange.objects.bulk_create(changes)
        emit("account.changed", actor_id=user.pk, account_id=account.pk)
    return changes


CONTACT_FIELDS = ("name", "title", "email", "phone", "role", "is_primary")


@transaction.atomic
def contact_save(*, account: Account, data: dict, user, contact: Contact | None = None) -> Contact:
    """Add a contact to ``account`` or change ``contact``; a new primary contact takes over
    from the previous one. Logged on the account's timeline."""
    return _contact_write(account=account, data=data, user=user, contact=contact)[0]


#: What the case page edits of its engagement's contact (the account's primary contact).
PRIMARY_CONTACT_FIELDS = ("name", "title", "email", "phone")


@transaction.atomic
def primary_contact_save(*, account: Account, data: dict, user) -> list[AccountChange]:
    """Change the name, title, email or phone of ``account``'s primary contact (add it when
    the account has none) and return the changes logged on the account's timeline.

    This is the contact a success case shows for its engagement; the case page edits it here
    (``playbooks.services.case_contact_update`` journals the same changes on the case).
    """
    unknown = set(data) - set(PRIMARY_CONTACT_FIELDS)
    if unknown:
        raise DomainError(f"These are not contact fields: {', '.join(sorted(unknown))}.")
    primary = Contact.objects.select_for_update().filter(account=account, is_primary=True).first()
    data = {**data, "is_primary": True} if primary is None else data
    return _contact_write(account=account, data=data, user=user, contact=primary)[1]


def _contact_write(
    *, account: Account, data: dict, user, contact: Contact | None
) -> tuple[Contact, list[AccountChange]]:
    if contact is not None and contact.account_id != account.pk:
        raise DomainError("This contact belongs to another account.")
    is_new = contact is None
    contact = contact or Contact(account=account)
    before = {name: _shown(contact, name) for name in CONTACT_FIELDS} if not is_new else {}
    for name in CONTACT_FIELDS:
        if name in data:
            value = data[name]
            setattr(contact, name, value.strip() if isinstance(value, str) else value)
    if not contact.name:
        raise DomainError("Give the contact's name.", field="name")
    _validate(contact, exclude=["account"])
    try:
        validate_phone(contact.phone)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="phone") from error
    if contact.is_primary:
        Contact.objects.filter(account=account, is_primary=True).exclude(pk=contact.pk).update(
            is_primary=False
        )
    contact.save()
    if is_new:
        detail = ", ".join(v for v in [contact.get_role_display(), contact.email] if v)
        changes = [("Contact added", "", f"{contact.name} ({detail})")]
    else:
        lead = f"Contact {contact.name}"
        changes = [
            (f"{lead}: {_label(Contact, name)}", before[name], _shown(contact, name))
            for name in CONTACT_FIELDS
            if before[name] != _shown(contact, name)
        ]
    logged = AccountChange.objects.bulk_create(
        AccountChange(
            account=account, actor=user, field=field[:200], old_value=old[:300], new_value=new[:300]
        )
        for field, old, new in changes
    )
    return contact, logged


@transaction.atomic
def account_activity_log(
    *,
    account: Account,
    kind: str,
    date: date,
    text: str,
    user,
    contact_ids: list[int] | None = None,
) -> AccountActivity:
    """A call, meeting, email or note on the account's timeline, with the contacts in it."""
    activity = AccountActivity(
        account=account, kind=kind, date=date, text=(text or "").strip(), author=user
    )
    if not activity.text:
        raise DomainError("Write what happened.", field="text")
    _validate(activity, exclude=["account", "author"])
    contacts = list(Contact.objects.filter(account=account, pk__in=contact_ids or []))
    if len(contacts) != len(set(contact_ids or [])):
        raise DomainError("Choose contacts of this account.", field="contacts")
    activity.save()
    activity.contacts.set(contacts)
    emit("account.changed", actor_id=user.pk, account_id=account.pk)
    return activity
