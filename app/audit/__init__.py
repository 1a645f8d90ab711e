"""The council's tamper-evident audit log.

Every state change that matters to trust (a module switched, a ballot opened,
closed, counted or published, an officer override, paper ballots entered) is
appended to a per-council hash chain. Anyone with read access can re-verify the
chain (``rochdale audit verify --council X``); an edited, removed or inserted
entry breaks it at a point the verifier names.

Entries never hold what a voter chose: only who did what to which object.
"""
