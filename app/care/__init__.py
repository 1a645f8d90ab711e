"""Care social enterprises (module key ``care``): staff mutuals and multi-stakeholder co-ops running adult care.

Built on the governance core: an enterprise is a society of kind
``care_enterprise`` whose register, member classes (staff, people who use its
services, carers) and board elections are the shared governance pages. This
package adds services and self-managing staff teams, people supported with
their co-produced support plans (health data: every read is logged and shown
to the person), feedback stories moderated in public (the Care Opinion model)
and the Adult Social Care Survey questions per service.
"""
