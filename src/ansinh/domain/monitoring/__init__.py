"""Monitoring: policy targets, national-target-programme capital and new-rural criteria."""

from ansinh.domain.monitoring.finance import ALL, CAPITAL_TYPES, finance_report
from ansinh.domain.monitoring.ntm import CriteriaSet, Criterion, combined_report, ntm_report
from ansinh.domain.monitoring.targets import (
    Comparator,
    Observation,
    Status,
    Target,
    TargetStatus,
    statuses,
    target_status,
)

__all__ = [
    "ALL",
    "CAPITAL_TYPES",
    "Comparator",
    "CriteriaSet",
    "Criterion",
    "Observation",
    "Status",
    "Target",
    "TargetStatus",
    "combined_report",
    "finance_report",
    "ntm_report",
    "statuses",
    "target_status",
]
