"""Neighbourhood priorities: a ballot per neighbourhood from a template; results per neighbourhood and council-wide."""
