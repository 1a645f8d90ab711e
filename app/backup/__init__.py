"""A council's own data as one file, and back: ``rochdale backup`` and ``rochdale restore``.

A council backup holds every row of every council table for that council,
the council's own row, and the people (``users`` rows) those rows refer to.
It is read under the council's row-level security setting, so it cannot hold
another council's rows. See ``dump`` and ``restore``; the whole-cluster
procedure (``pg_dump``) is in ``deploy/BACKUP.md``.
"""
