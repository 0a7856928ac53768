"""Benefit programmes as dated rules, and what each person is owed each month under them."""

from ansinh.domain.benefits.loader import (
    BenefitRuleError,
    load_bases,
    load_programme,
    load_programme_file,
    shipped_programmes,
)
from ansinh.domain.benefits.rules import Base, Category, LevelRow, LevelSet, Programme, Rules

__all__ = [
    "Base",
    "BenefitRuleError",
    "Category",
    "LevelRow",
    "LevelSet",
    "Programme",
    "Rules",
    "load_bases",
    "load_programme",
    "load_programme_file",
    "shipped_programmes",
]
