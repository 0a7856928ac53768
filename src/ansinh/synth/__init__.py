"""A synthetic province with ground truth, for demos, tests and benchmarks."""
