"""Elections to a society's committee, board or stakeholder forum (shared by housing, schools and care).

An election fills the seats of one body of a society, constituency by
constituency (a constituency is a member class with seats; a class with no
seats takes no part). Members stand with a statement, on their own
nomination or another member's with their consent; the secretary or
committee check each nomination. When the poll starts, a constituency with
no more valid candidates than seats returns them unopposed; every other
constituency gets one ranked ballot in :mod:`app.voting` (STV, Scottish rules
by default or Meek), its electorate the members of that class. The engine's
counting job counts them; declaring the result publishes every ballot with
its round-by-round table and records the people elected as the body's members
for a term.
"""
