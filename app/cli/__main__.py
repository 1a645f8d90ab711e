"""``python -m app.cli``: the ``rochdale`` command without the console script."""

from app.cli import main

main(prog_name="rochdale")
