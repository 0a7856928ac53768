"""A synthetic province with ground truth, for demos, tests and benchmarks."""

from ansinh.synth.province import SyntheticProvince, generate_province, write_province

__all__ = ["SyntheticProvince", "generate_province", "write_province"]
