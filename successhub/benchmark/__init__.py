"""The page benchmark suite behind ``manage.py benchmark_pages`` (see docs/performance.md).

- ``data``: the demo data ("small") and the large set, built with bulk inserts;
- ``pages``: every page of the navigation and a few record pages, measured in-process;
- ``report``: the markdown table, small and large side by side;
- ``wrk``: gunicorn + wrk against the case list, a case page and a bare view;
- ``settings`` / ``urls``: what gunicorn runs for wrk (the bare view lives only there).
"""
