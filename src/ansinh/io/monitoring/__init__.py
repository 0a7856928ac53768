"""Monitoring files: plans, disbursements, targets, observations, NTM evaluations."""
