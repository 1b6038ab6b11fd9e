"""The OpenAPI schema documents the error answers too, so clients (and Schemathesis) know
every status an operation may give and the shape of its body."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Messages by field (`non_field_errors` for the body as a whole).",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
EITHER = {"oneOf": [DETAIL, FIELD_ERRORS]}


class ApiAutoSchema(AutoSchema):
    def get_response_serializers(self):
        ok = super().get_response_serializers()
        if isinstance(ok, dict):  # an @extend_schema of its own
            return ok
        errors = {401: DETAIL, 403: DETAIL, 429: DETAIL}
        if self._is_list_view(ok):
            errors |= {400: FIELD_ERRORS, 404: DETAIL}  # a bad filter value; a bad cursor
        else:
            errors[404] = DETAIL
        if self.method in ("POST", "PUT", "PATCH"):
            errors |= {400: EITHER, 409: DETAIL, 413: DETAIL, 415: DETAIL, 422: FIELD_ERRORS}
        return {200: ok, **errors}
