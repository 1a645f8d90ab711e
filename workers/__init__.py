"""Background work on RQ: fixed queues, council-aware jobs enqueued after
commit, a Postgres outbox so a lost Redis loses no work, and progress rows for
long jobs that the UI can show."""
