"""Residents' data rights across every module: a copy of everything held (access) and erasure.

Each council module answers for the personal data it holds with a
``personal_data`` module of two functions (``export_for_user`` and
``erase_for_user``, see ``registry``); this package runs them for one person,
keeps the requests and their legal clock, and serves the resident's and the
officers' pages.
"""
