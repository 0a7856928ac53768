"""New passwords under NIST SP 800-63B 5.1.1.2 (trust issue, item 9): 10 identical characters
were accepted."""

from __future__ import annotations

import pytest

from ansinh.domain.passwords import MIN_LENGTH, common_passwords, password_problem


@pytest.mark.parametrize(
    "password",
    [
        "a" * 10,  # the issue's: ten identical characters
        "aaaaaaaaaaaaaaaa",
        "abcabcabcabcabc",
        "121212121212",
        "1234567890123",
        "abcdefghijklmnop",
        "987654321098",
        "matkhau12345",  # on the shipped list
        "Password1234",  # on it without case
        "x" * (MIN_LENGTH - 1),
        "nguyen.van.an-bi-mat",  # holds the username
        "ansinh-la-tot-nhat",  # holds the system's name
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_problem(password, "nguyen.van.an") is not None


@pytest.mark.parametrize(
    "password", ["mat-khau-thu-nghiem", "Sông Hồng chảy về biển", "k7#pQ2!vLm9x"]
)
def test_long_uncommon_passwords_are_accepted(password: str) -> None:
    assert password_problem(password, "nguyen.van.an") is None


def test_the_list_is_shipped_and_long_enough_to_matter() -> None:
    listed = common_passwords()
    assert len(listed) > 80 and all(p == p.lower() for p in listed)
