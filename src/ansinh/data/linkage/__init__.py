"""Person linkage as data: comparison levels, blocking rules, benefit overlap rules."""
