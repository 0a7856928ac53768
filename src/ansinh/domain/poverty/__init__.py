"""Poverty standards as data, household classification and the Alkire-Foster measures."""

from ansinh.domain.poverty.alkire_foster import (
    AFSums,
    MPIResult,
    af_sums,
    alkire_foster,
    measures_from_sums,
)
from ansinh.domain.poverty.classify import Classification, classify_household
from ansinh.domain.poverty.frame import classify_frame
from ansinh.domain.poverty.loader import (
    StandardFileError,
    list_standards,
    load_standard,
    load_standard_file,
    load_standard_text,
    parse_k,
    standard_in_force,
)
from ansinh.domain.poverty.sql import (
    ClassificationSQL,
    classification_sql,
    deprived_column,
    deprived_in,
)
from ansinh.domain.poverty.standard import (
    AREAS,
    STATUSES,
    Dimension,
    IncomeLine,
    Indicator,
    PovertyStandard,
    Reference,
    Rule,
    normalize_area,
    severity,
)

__all__ = [
    "AREAS",
    "STATUSES",
    "AFSums",
    "Classification",
    "ClassificationSQL",
    "Dimension",
    "IncomeLine",
    "Indicator",
    "MPIResult",
    "PovertyStandard",
    "Reference",
    "Rule",
    "StandardFileError",
    "af_sums",
    "alkire_foster",
    "classification_sql",
    "classify_frame",
    "classify_household",
    "deprived_column",
    "deprived_in",
    "list_standards",
    "load_standard",
    "load_standard_file",
    "load_standard_text",
    "measures_from_sums",
    "normalize_area",
    "parse_k",
    "severity",
    "standard_in_force",
]
