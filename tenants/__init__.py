"""Council tenancy: which council a request or job acts for, and the three
layers that keep councils apart (ORM filter, PostgreSQL row-level security and
the isolation tests). Independent of any council module."""
