"""The search field's <select> writes its options inline: the same HTML as Django's
select.html with an include per option (the template it replaced, kept here)."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer

from core.widgets import SearchSelect
from engagements.models import Account
from tests.factories import AccountFactory

REPLACED = """{# the template before the change #}
<span class="search-select">
  <input type="search" name="{{ widget.name }}_q" value="{{ widget.term }}" \
id="{{ widget.attrs.id }}_q"
         class="search-select-q" placeholder="Type to search" autocomplete="off"
         aria-label="Search {{ widget.lookup_label }}" aria-controls="{{ widget.attrs.id }}"
         hx-get="{{ widget.search_url }}" hx-trigger="input changed delay:250ms, search"
         hx-target="#{{ widget.attrs.id }}" hx-swap="innerHTML" hx-sync="this:replace"
         hx-vals='{"empty": "{{ widget.empty_label|escapejs }}"}'>
  {% include "django/forms/widgets/select.html" %}
</span>"""


class AccountForm(forms.Form):
    account = forms.ModelChoiceField(
        Account.objects.order_by("name"),
        required=False,
        empty_label="Any account",
        widget=SearchSelect("accounts"),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", [None, 2, "x"])
@pytest.mark.parametrize("term", ["", "Acme & <Co>", "zzz"])
def test_the_options_are_what_djangos_select_wrote(chosen, term):
    accounts = [AccountFactory(name=f"Acme & <Co> {n}") for n in range(25)]
    data = {"account_q": term}
    if chosen is not None:
        data["account"] = accounts[chosen].pk if chosen != "x" else "x"
    html = str(AccountForm(data)["account"])
    field = AccountForm(data)["account"]  # a fresh widget: rendering fills its choices in
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget) | {"id": field.auto_id}  # as as_widget() does
    context = widget.get_context(field.html_name, field.value(), attrs)
    # Django's form renderer strips what a widget's template writes.
    expected = get_default_renderer().engine.from_string(REPLACED).render(context).strip()
    assert html == expected
    assert html.count("<option") == (1 + 20 + (chosen == 2) if term != "zzz" else 1 + (chosen == 2))
