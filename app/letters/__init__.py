"""Voting-code letters: one-time codes, print-ready PDF letters and the mail-merge CSV.

Library code only (no models, views or jobs): the register wires it in.
"""
