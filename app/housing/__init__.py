"""Housing co-operatives: estates and homes, tenancies and the co-op's membership offer, repairs, surveys.

Who uses it: tenants (their home, repairs, the membership offer, surveys),
the housing co-op's committee (repair targets, contractors, the repair queue
and surveys of the homes it manages, through ``app.governance.access``) and
council officers with the housing module (everything, including the transfer
ballot). Membership itself is the governance core's register.
"""

from app.housing import electorate as _electorate  # noqa: F401  (registers the housing_tenants rule)
