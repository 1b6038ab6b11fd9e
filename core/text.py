"""How long a free text may be (issue 18).

Decision: every ``TextField`` (descriptions, notes, agendas, instructions, comments, work
notes, reasons) holds at most 5,000 characters, about two pages. Model fields say
``max_length=LONG_TEXT``, so their forms refuse a longer text with Django's message next to
the field (and the textarea carries ``maxlength``); plain form fields for the same text say
it too. The database columns stay unbounded ``text``: the limit is a form rule, like
Django's own for ``TextField``.
"""

LONG_TEXT = 5000
