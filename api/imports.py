"""Imports from the CRM (django-import-export): accounts, engagements and resources from CSV
or XLSX in the admin, matched on ``external_id``.

* **Idempotent**: a row is found by its ``external_id`` (the CRM's id) and updated, or
  created; a row whose values are those already stored is skipped, so importing the same
  file twice changes nothing the second time.
* **All or nothing per file**: the import runs in one transaction and any row with an error
  (a missing name, an unknown account or user, a date outside the range) rolls back every
  row; the dry-run preview lists each row's errors next to its values.
* References are by their natural keys: an engagement's ``account`` by the account's
  ``external_id``, owners and a resource's ``user`` by username (users are not created by
  an import; they sign in, so an admin creates them).
* **Contacts** are matched on their account (its ``external_id``) and email: the contact
  model has no CRM id, and in every CRM a person at a customer is their address there. The
  email is required; one primary contact per account, as on the account page.
* Files are CSV or XLSX (openpyxl).
* Model validation runs on every row (``clean_model_instances``), so the date range and
  the constraints say what is wrong instead of failing at the database.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from import_export import fields
from import_export import resources
from import_export import widgets

from engagements.models import Account
from engagements.models import Contact
from engagements.models import Engagement
from engagements.models import Resource


def _user(column: str) -> fields.Field:
    return fields.Field(
        attribute=column,
        column_name=column,
        widget=widgets.ForeignKeyWidget(get_user_model(), field="username"),
    )


def _account() -> fields.Field:
    """The ``account`` column: the account's ``external_id`` (its CRM id)."""
    return fields.Field(
        attribute="account",
        column_name="account",
        widget=widgets.ForeignKeyWidget(Account, field="external_id"),
    )


class CrmResource(resources.ModelResource):
    """What every CRM import shares: matched on external_id, unchanged rows skipped, one
    transaction, model validation, and an error in any row rolls the whole file back."""

    class Meta:
        import_id_fields = ["external_id"]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    def import_data(self, dataset, **kwargs):
        # A row that fails validation rolls the file back too, wherever the import runs (the
        # admin asks for it; a Meta option of that name does not exist, so say it here).
        return super().import_data(dataset, **{**kwargs, "rollback_on_validation_errors": True})

    def before_import_row(self, row, **kwargs):
        external_id = (row.get("external_id") or "").strip() if row.get("external_id") else ""
        if not external_id:
            raise ValueError("external_id is required: it is how the row is matched next time.")
        row["external_id"] = external_id


def _crm_resource(model, columns: list[str], **fields_by_name: fields.Field):
    """A CRM import of ``model`` with these columns (named ``<Model>Resource``)."""
    return resources.modelresource_factory(
        model,
        resource_class=CrmResource,
        meta_options={"fields": columns},
        custom_fields=fields_by_name,
    )


AccountResource = _crm_resource(
    Account, ["external_id", "name", "industry", "tier", "owner"], owner=_user("owner")
)
EngagementResource = _crm_resource(
    Engagement,
    ["external_id", "name", "account", "stage", "state", "start_date", "end_date", "owner"],
    account=_account(),
    owner=_user("owner"),
)
ResourceResource = _crm_resource(
    Resource, ["external_id", "user", "title", "is_active", "is_psa"], user=_user("user")
)


class ContactResource(CrmResource):
    """Contacts: matched on (account, email); otherwise as every CRM import."""

    account = _account()

    class Meta(CrmResource.Meta):
        model = Contact
        import_id_fields = ["account", "email"]
        fields = ["account", "email", "name", "title", "phone", "role", "is_primary"]

    def before_import_row(self, row, **kwargs):
        email = str(row.get("email") or "").strip().lower()
        if not email:
            raise ValueError("email is required: with the account, it is how the row is matched.")
        row["email"] = email


IMPORTS = {
    Account: AccountResource,
    Engagement: EngagementResource,
    Resource: ResourceResource,
    Contact: ContactResource,
}
