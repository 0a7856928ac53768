"""Use cases that combine the parts (decisions, payroll runs), for the CLI and the web alike."""
