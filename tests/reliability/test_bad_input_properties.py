"""Bad input everywhere (hypothesis): every form and every filter of the workspace.

Each POST URL of the access matrix (tests/test_access_matrix.py: the same rows and module
data) gets hostile values in every field its page offers: empty, 1 MB, NUL and control
characters, unicode, negative and huge numbers, impossible dates, ids never offered,
duplicated fields. Then: never a 5xx; a refused request changes no row; an accepted one
leaves a page that shows it (the redirect's target) answering 200. Each example runs in
its own savepoint and with the actor's session as signed in, so every one starts from the
same rows.

Every GET page gets the same values in its filters' query parameters: never a 5xx.
Bodies no form expects (12,000 fields, 3 MB, invalid UTF-8, no CSRF token): a 4xx or the
form's errors, nothing changed.

``BAD_INPUT_EXAMPLES`` sets the examples per form and per filter page (default 3, so a
developer's run stays fast; .ci/run's SQLite pass sends 62, over 10,000 in all). A few
tests each take a group of URLs (the rows are built once for the module anyway), and each
records how many examples it sent: the run's total is printed at the end
(tests/conftest.py, ``pytest_terminal_summary``).
"""

from __future__ import annotations

import os
import re
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import connection
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.test_access_matrix import ACCESS
from tests.test_access_matrix import ANONYMOUS
from tests.test_access_matrix import _objects  # noqa: F401 (the module's rows)
from tests.test_access_matrix import objects  # noqa: F401
from tests.test_access_matrix import row_counts
from tests.test_access_matrix import signed_in
from tests.test_access_matrix import url_of

EXAMPLES = int(os.environ.get("BAD_INPUT_EXAMPLES", "3"))
SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

MEGABYTE = "x" * 1_000_000
HOSTILE = st.one_of(
    st.just(""),
    st.just(MEGABYTE),
    st.just("\x00"),
    st.just("a\x00b"),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),  # control characters
    st.text(max_size=50),  # any unicode, surrogates excluded by hypothesis' default
    st.sampled_from(["-1", "-999999999999", "9223372036854775807", "1e309", "NaN", "0"]),
    # ids no column holds (SQLite: up to 2^63 - 1): not a choice or a 404 (core.ids)
    st.sampled_from(["9223372036854775808", "18446744073709551616", "-9223372036854775809"]),
    st.sampled_from(["2025-02-30", "0000-01-01", "0001-01-01", "9999-12-31", "2025-13-01"]),
    st.sampled_from(["2025-02-30T10:00", "2025-01-01T25:61", "10000-01-01"]),
    st.sampled_from(["999999999", "SCS9999999", "TSK0", "1 OR 1=1", "<script>alert(1)</script>"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
#: A field sent twice with two different values.
VALUE = st.one_of(HOSTILE, st.lists(HOSTILE, min_size=2, max_size=2))

NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.IGNORECASE)
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)

#: For URLs that only take POST, the page their form is on.
FORM_PAGE = {
    "playbooks:activity-complete": "playbooks:case-detail",
    "playbooks:case-close": "playbooks:case-detail",
    "playbooks:meeting-transition": "playbooks:case-detail",
    "playbooks:task-transition": "playbooks:case-detail",
    "playbooks:review-mark": "playbooks:review-case",
    "successplans:kpi-grid": "successplans:plan-detail",
    "tokens:token-revoke": "tokens:token-list",
}


def _actor(name: str) -> str:
    who = sorted(ACCESS[name].who - {ANONYMOUS})
    return who[0] if who else ANONYMOUS


def _fields(client: Client, url: str, method: str) -> list[str]:
    """The names of the fields of the page's forms of ``method`` (without the CSRF token)."""
    response = client.get(url)
    if response.streaming:  # an export: its filters are the list page's
        return ["q"]
    html = response.content.decode()
    names: list[str] = []
    for attrs, body in FORM.findall(html):
        form_method = "post" if 'method="post"' in attrs.lower() else "get"
        if form_method == method:
            names += [n for n in NAME.findall(body) if n != "csrfmiddlewaretoken"]
    return sorted(set(names)) or ["q"]


def _post_urls() -> list[str]:
    return sorted(name for name, access in ACCESS.items() if "POST" in access.methods)


def _get_urls() -> list[str]:
    # /healthz takes no parameters, and its 503 is an answer (pending migrations), not a fault.
    return sorted(n for n, access in ACCESS.items() if "GET" in access.methods and n != "healthz")


#: URLs per test: few test items (each one's setup is cheap, the rows are the module's) in
#: groups small enough to spread over pytest-xdist's workers.
GROUP_SIZE = 12


def _groups(names: list[str]) -> list:
    """``names`` by app, each app cut into groups of at most ``GROUP_SIZE``."""
    apps: dict[str, list[str]] = {}
    for name in names:
        apps.setdefault(name.split(":")[0] if ":" in name else "successhub", []).append(name)
    return [
        pytest.param(group[n : n + GROUP_SIZE], id=f"{app}-{n // GROUP_SIZE + 1}")
        for app, group in apps.items()
        for n in range(0, len(group), GROUP_SIZE)
    ]


def _page_of(name: str, rows: dict) -> str:
    page = FORM_PAGE.get(name)
    if page is None:
        return url_of(name, rows)
    kwargs = {k: v for k, v in ACCESS[name].kwargs.items() if k in ACCESS[page].kwargs}
    return reverse(page, kwargs={k: rows[v] for k, v in kwargs.items()})


class _Writes:
    """Whether a request wrote a row (sessions aside): only then can the page it leads to
    show an accepted value, so only then is that page fetched (the costliest step)."""

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, execute, sql, params, many, context):
        verb = sql.lstrip()[:6].upper()
        if verb in ("INSERT", "UPDATE", "DELETE") and "django_session" not in sql:
            self.seen = True
        return execute(sql, params, many, context)


def _form_examples(objects: dict, name: str) -> int:  # noqa: F811
    """Hostile values in every field of ``name``'s form; the number of examples sent."""
    actor = _actor(name)
    client = signed_in(objects, actor)
    url = url_of(name, objects)
    fields = _fields(client, _page_of(name, objects), "post")
    sent = 0

    @SETTINGS
    @given(st.fixed_dictionaries({}, optional={field: VALUE for field in fields}))
    def post(data):
        nonlocal sent
        sent += 1
        # As signed in for the module (an accepted password change would end the session).
        client.cookies = SimpleCookie()
        if actor != ANONYMOUS:
            client.cookies[settings.SESSION_COOKIE_NAME] = objects["sessions"][actor]
        writes = _Writes()
        with transaction.atomic():
            before = row_counts()
            # A form as a browser sends it (urlencoded; multipart is the raw bodies' test).
            with connection.execute_wrapper(writes):
                response = client.post(
                    url,
                    urlencode(data, doseq=True),
                    content_type="application/x-www-form-urlencoded",
                )
            assert response.status_code < 500, (name, response.status_code, data)
            if response.status_code == 302:
                if writes.seen:  # accepted: the page it leads to still renders
                    shown = client.get(response.url)
                    assert shown.status_code < 500, (name, response.url, data)
            else:
                assert row_counts() == before, (name, data)
            transaction.set_rollback(True)

    post()
    return sent


def _filter_examples(objects: dict, name: str) -> int:  # noqa: F811
    """Hostile values in every query parameter of ``name``'s page; the examples sent."""
    client = signed_in(objects, _actor(name))
    url = url_of(name, objects)
    params = [*_fields(client, url, "get"), "page", "sort", "q"]
    sent = 0

    @SETTINGS
    @given(st.fixed_dictionaries({}, optional={p: VALUE for p in params}))
    def get(query):
        nonlocal sent
        sent += 1
        query = {k: v for k, v in query.items() if v is not MEGABYTE}  # not in a URL
        response = client.get(url, query)
        assert response.status_code < 500, (name, response.status_code, query)

    get()
    return sent


@pytest.mark.parametrize("names", _groups(_post_urls()))
def test_no_form_fails_on_hostile_values(objects, names, record_property):  # noqa: F811
    sent = {name: _form_examples(objects, name) for name in names}

    record_property("hypothesis_examples", sum(sent.values()))
    assert min(sent.values()) >= EXAMPLES, sent


@pytest.mark.parametrize("names", _groups(_get_urls()))
def test_no_filter_fails_on_hostile_values(objects, names, record_property):  # noqa: F811
    sent = {name: _filter_examples(objects, name) for name in names}

    record_property("hypothesis_examples", sum(sent.values()))
    assert min(sent.values()) >= EXAMPLES, sent


def _raw_bodies() -> list:
    many = "&".join(f"f{n}=x" for n in range(12_000))
    return [
        pytest.param("application/x-www-form-urlencoded", many.encode(), id="12000-fields"),
        pytest.param(
            "application/x-www-form-urlencoded", b"text=" + b"x" * 3_000_000, id="3MB-body"
        ),
        pytest.param("application/x-www-form-urlencoded", b"text=\xff\xfe\xc3\x28", id="bad-utf8"),
        pytest.param("multipart/form-data; boundary=zz", b"--zz\r\n\xff\r\n--", id="bad-multipart"),
    ]


CSRF_TOKEN = "k" * 32


def _browser(objects, actor: str) -> Client:  # noqa: F811
    """A client that, like a browser, goes through the CSRF check: with a token (htmx sends
    it as a header) or without one."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    if actor != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = objects["sessions"][actor]
    return client


@pytest.mark.parametrize(("content_type", "body"), _raw_bodies())
def test_no_form_fails_on_a_body_it_does_not_expect(objects, content_type, body):  # noqa: F811
    # The CSRF check reads the body before any view, so a body over Django's limits is a 400
    # before anything runs. (The plan children's delete views read ``next`` before they
    # delete, so they are safe without it too: tests/successplans/test_delete_next.py.)
    answers = {}
    for name in _post_urls():
        client = _browser(objects, _actor(name))
        client.raise_request_exception = False  # a 500 is an answer to list
        with transaction.atomic():
            before = row_counts()
            response = client.generic(
                "POST",
                url_of(name, objects),
                body,
                content_type=content_type,
                headers={"X-CSRFToken": CSRF_TOKEN},
            )
            answers[name] = response.status_code
            if response.status_code != 302:
                assert row_counts() == before, name
            transaction.set_rollback(True)

    assert {name: status for name, status in answers.items() if status >= 500} == {}


def test_no_form_accepts_a_post_without_csrf_token(objects):  # noqa: F811
    before = row_counts()
    answers = {}
    for name in _post_urls():
        client = _browser(objects, _actor(name))
        answers[name] = client.post(url_of(name, objects), {"text": "x", "name": "x"}).status_code

    assert {name: status for name, status in answers.items() if status != 403} == {}
    assert row_counts() == before
