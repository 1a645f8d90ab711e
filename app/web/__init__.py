"""The web layer shared by every page: layout, security headers, errors."""

from flask import Flask


def init_web(app: Flask) -> None:
    """Attach templates, security headers and error pages to ``app``."""
