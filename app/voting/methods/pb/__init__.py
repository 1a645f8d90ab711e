"""Participatory-budgeting counts over approval ballots.

* :func:`greedy` — fund by support until the money runs out (pabutools'
  greedy utilitarian welfare with cost or cardinality utility, or CONSUL's
  "most approvals first").
* :func:`equal_shares` — the Method of Equal Shares, plain or completed
  (greedy, or "Add1" budget increase then greedy).

Both take an :class:`ApprovalElection` and return a :class:`PBResult`.
"""

from app.voting.methods.pb.equal_shares import equal_shares
from app.voting.methods.pb.greedy import greedy
from app.voting.methods.pb.model import ApprovalElection, PBInputError, PBResult

__all__ = ["ApprovalElection", "PBInputError", "PBResult", "equal_shares", "greedy"]
