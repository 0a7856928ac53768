"""Errors a user can act on survive the trip from a worker process (a province's PDFs)."""

from __future__ import annotations

import pickle

from ansinh.errors import InputError, Problem


def test_an_input_error_pickles_with_its_problems() -> None:
    error = InputError([Problem("niem-yet.pdf", "Cần phông", "Needs a font", row=3, column="x")])
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, InputError)
    assert again.problems == error.problems and str(again) == str(error)
