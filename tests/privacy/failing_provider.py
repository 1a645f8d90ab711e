"""A provider whose erasure fails, to prove a completed erasure is all or nothing."""

from __future__ import annotations


class ErasureFailed(RuntimeError):
    pass


def export_for_user(user_id: int) -> dict:
    return {}


def erase_for_user(user_id: int) -> None:
    raise ErasureFailed(user_id)
