"""Participatory-budgeting counts over approval ballots.

Two methods, each taking an :class:`ApprovalElection` and returning a
:class:`PBResult` (``method`` / ``utility`` / ``completion`` name the rule):

* :func:`greedy` (``pb_greedy``) — fund by support until the money runs out;
  ``utility="cost"`` (pabutools' greedy utilitarian welfare with ``Cost_Sat``:
  most approvals first), ``"cardinality"`` (``Cardinality_Sat``: approvals
  per unit of cost) or ``"approvals"`` (CONSUL: most approvals first).
* :func:`equal_shares` (``pb_equal_shares``) — the Method of Equal Shares
  with ``utility="cost"`` or ``"cardinality"``, plain or with
  ``completion="greedy"`` or ``"add1"`` (raise every share by one unit per
  pass, then greedy), as in Aarau and Wieliczka.

Outcomes equal pabutools 1.2.3's exact ones, ties included (lexicographic by
project id unless a seeded lot is published). Pabulib files: see
:mod:`app.voting.formats.pabulib`.
"""

from app.voting.methods.pb.equal_shares import equal_shares
from app.voting.methods.pb.greedy import greedy
from app.voting.methods.pb.model import ApprovalElection, PBInputError, PBResult

__all__ = ["ApprovalElection", "PBInputError", "PBResult", "equal_shares", "greedy"]
