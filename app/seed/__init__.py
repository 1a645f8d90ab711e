"""Demo data: three fictional councils with neighbourhoods, staff and residents.

``rochdale seed demo`` and ``make run`` (on an empty database) load it, so a
fresh checkout has something to click through. Every name, place and ward
code here is invented; the passwords are public and for demonstration only.
"""
