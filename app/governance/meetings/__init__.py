"""Meetings of a society: notices, agenda, resolutions, attendance, proxies, the merged tally, minutes.

The members' general meetings, and the meetings of a forum or board, which
pass resolutions the same way; :mod:`app.governance.meetings.bodies` names
each body's meetings. Used by every kind of society (housing co-operatives,
school trusts, care enterprises). Pages live under ``/c/<council>/societies/<society_id>/meetings``;
each resolution is voted on as an :mod:`app.voting` resolution ballot over the
society's members, merged with postal and in-room counts entered by a
scrutineer (:mod:`app.governance.meetings.tally`).
"""
