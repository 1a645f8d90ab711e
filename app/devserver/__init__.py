"""``rochdale run``: everything needed to use Rochdale locally, in one command.

``environment`` starts embedded PostgreSQL and Valkey when no servers are
configured and provisions the database roles; ``mailcatcher`` catches outgoing
email; ``database`` migrates (as the owner) and loads the demo data into an
empty database; ``supervisor`` runs the web app, a worker and the scheduler as
child processes and stops them all on Ctrl-C.
"""
