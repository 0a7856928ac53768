"""Poverty standards as data, household classification and the Alkire-Foster measures."""
