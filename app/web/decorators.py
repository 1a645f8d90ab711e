"""View decorators: load → check → process, as in every page of the app.

Checks that fail because something is not there (a council module switched
off) answer 404; checks that fail because of who you are answer 403 once you
are signed in, and send you to sign in when you are not.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from app.auth.models import Role
from app.auth.roles import current_council_role
from app.extensions import login_manager
from tenants.features import is_module_enabled

F = TypeVar("F", bound=Callable[..., Any])


def module_required(key: str) -> Callable[[F], F]:
    """404 unless the current council runs module ``key``."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not is_module_enabled(key):
                abort(404)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def role_required(*roles: Role) -> Callable[[F], F]:
    """Signed in, with one of ``roles`` in the current council (platform admins pass)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            role = current_council_role()
            if not current_user.is_platform_admin and (role is None or role.role not in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def permission_required(module: str) -> Callable[[F], F]:
    """Signed in as a council admin, or an officer allowed to manage ``module``."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            role = current_council_role()
            if not current_user.is_platform_admin and (role is None or not role.can_manage(module)):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def platform_admin_required(view: F) -> F:
    """Signed in as a platform administrator."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_platform_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
