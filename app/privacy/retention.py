"""What an erasure may take from a co-operative's register of members: pure rules, no Flask, no database.

The Co-operative and Community Benefit Societies Act 2014 (s. 30) requires a
society to keep a register of its members with each member's name and
address, the shares they hold, the date they were admitted and the date they
ceased to be a member. The Act sets no period after which a former member's
line may go, so we follow the period the Companies Act 2006 (s. 121) sets for
a company's register, which societies commonly adopt: **ten years after the
person ceased to be a member**.

The rule an erasure applies to each of the person's register lines:

* every line: the link to the platform account and the email address go (the
  Act requires neither);
* a current member's line, and a former member's within ten years of ceasing,
  keeps the name, address and dates the Act requires;
* a former member's line ten or more years after ceasing, and the line of
  someone never admitted (an applicant or a refused application; they are not
  on the register of members), loses the name, address, postcode, date of
  birth and a guardian's name;
* the line itself, its membership number and its share ledger lines always
  stay, so the register's numbering and the society's share capital add up.
"""

from __future__ import annotations

from datetime import date

RETENTION_YEARS = 10


def retention_ends(ceased_on: date) -> date:
    """The first day a former member's name may be removed (ten years after ceasing; 29 Feb → 28 Feb)."""
    year = ceased_on.year + RETENTION_YEARS
    try:
        return ceased_on.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return date(year, 2, 28)


def name_may_be_removed(*, admitted: bool, ceased_on: date | None, today: date) -> bool:
    """Whether a register line's name and address may be removed on ``today``.

    ``admitted``: the person was ever admitted as a member; ``ceased_on``:
    when they ceased (None while they are a member or were never admitted).
    """
    if not admitted:
        return True
    if ceased_on is None:
        return False
    return today >= retention_ends(ceased_on)
