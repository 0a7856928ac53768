"""`python -m ansinh`: the same command line as the `ansinh` script."""

from ansinh.cli import main

main()
