"""The REST API (``/api/v1/``), its personal API tokens and its OpenAPI schema.

A top-layer app: it reads through the apps' selectors and FilterSets and writes through
their services, with the same permissions the pages check; no app imports it.
"""
