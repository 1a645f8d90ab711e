"""Job entry points that belong to no single module (housekeeping, for now).

Module jobs live next to their operations; these are thin wrappers that call
small, idempotent queries.
"""
