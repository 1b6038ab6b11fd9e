"""The Content-Security-Policy: sent on every page, only this site's files, no inline code.

The browser side (no page of the demo logs a violation) is
tests/browser/test_content_security_policy.py.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Inline code the policy would block: a <script> without src, a <style> element, a style
# attribute, an on*= event handler, a javascript: URL.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE
)


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_every_page_sends_the_policy(client_for, agent):
    for client, path in ((client_for(None), "/login/"), (client_for("agent"), "/cases/")):
        response = client.get(path)
        assert response.status_code == 200
        assert _directives(response["Content-Security-Policy"]) == _directives(POLICY)


def test_it_is_enforced_in_production_and_reported_while_developing():
    # settings.py: enforced without DEBUG; tests/conftest.py enforces it in the suite.
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]
    assert settings.CONTENT_SECURITY_POLICY_REPORT_ONLY is None


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_widen_styles_and_images_only(client_for, agent, path):
    response = client_for("agent").get(path)

    directives = _directives(response["Content-Security-Policy"])
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert "<script>" not in response.text  # Swagger UI's settings come as a file
    assert "fonts.googleapis.com" not in response.text


def test_no_template_holds_inline_script_or_style():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        # the API docs widen the policy for themselves; mail is read outside the site
        if not path.is_relative_to(TEMPLATES / "drf_spectacular") and "email" not in path.parts
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []
