"""Larger request limits for the few upload pages whose files may exceed the app's default.

``MAX_CONTENT_LENGTH`` (2 MB unless configured) caps every request; a page
that accepts bigger files names its own limit here. The limit is set in a URL
value preprocessor because those run before every ``before_request`` hook,
and the CSRF check in one of those reads the body: set any later and the
default would already have refused the request with a 413.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, request

# Room for the form's other fields and the multipart framing around the files.
FORM_OVERHEAD = 64 * 1024


def allow_larger_uploads(bp: Blueprint, limits: Mapping[str, int]) -> None:
    """Let each endpoint in ``limits`` (``"<blueprint>.<view>"``) take a body of its file limit plus form overhead."""

    @bp.url_value_preprocessor
    def _upload_limit(endpoint: str | None, values: dict[str, Any] | None) -> None:
        for name, limit in limits.items():
            if endpoint and (endpoint == name or endpoint.endswith("." + name)):
                request.max_content_length = limit + FORM_OVERHEAD
