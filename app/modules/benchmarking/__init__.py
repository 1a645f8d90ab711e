"""Network benchmarking: councils compare their figures with the network and their peers.

The one place that reads across councils (ARCHITECTURE §3), and it reads only
what each council has *published*: figures are computed (or uploaded) into the
council-scoped ``benchmark_figures`` table, under row-level security like any
council data, and the publish step copies what the council chose to share,
after disclosure control, into the global ``benchmark_published`` table. The
dashboard, downloads and API read that table only, never another council's
rows. Used by officers of member councils (network figures) and by anyone
(public figures).
"""
