"""Co-operative trust schools: trusts and their partners, schools, the council's pipeline, school-to-school support.

Built on the governance core: a trust is a society of kind ``school_trust``
whose constituencies are member classes, whose stakeholder forum is elected
with the governance elections and whose forum and board meetings are
governance meetings. Council officers with the schools module manage schools,
the pipeline, pairings and the target; a trust's secretary runs its members
and meetings and enters its schools' values self-reviews.
"""
