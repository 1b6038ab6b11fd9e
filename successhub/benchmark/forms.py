"""What a browser would post for a page's form, read off its HTML.

The benchmark's create-from-template post sends the Select Records grid as a browser
would: every field of the page's POST form with the value it shows (checked boxes,
selected options, textarea text), parsed with the standard library's ``HTMLParser``.
"""

from __future__ import annotations

from html.parser import HTMLParser

from django.core.management.base import CommandError


class _FormParser(HTMLParser):
    """What a browser would post for the page's forms: ``{name: value or [values]}``."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.data: dict | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        if self.data is None or not name:
            return
        if name in self.data:
            old = self.data[name]
            self.data[name] = [*old, value] if isinstance(old, list) else [old, value]
        else:
            self.data[name] = value

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.data = {"__id__": a.get("id", ""), "__method__": a.get("method", "get")}
            self.forms.append(self.data)
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a.get("name", ""), a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select, self._options = a.get("name", ""), []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea = a.get("name", "")
            self._add(self._textarea, "")

    def handle_data(self, data):
        if self._textarea and self.data is not None:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.data = None


def form_data(html: str, *, form_id: str = "") -> dict:
    """The fields of the page's POST form (the one with ``form_id``, else the largest)."""
    parser = _FormParser()
    parser.feed(html)
    forms = [f for f in parser.forms if f["__method__"].lower() == "post"]
    chosen = [f for f in forms if form_id and f["__id__"] == form_id] or sorted(forms, key=len)[-1:]
    if not chosen:
        raise CommandError("The page has no form to post.")
    return {k: v for k, v in chosen[0].items() if not k.startswith("__")}
