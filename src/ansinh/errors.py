"""Errors a user can act on: each names the file, row and column, in Vietnamese and English."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input; row is 1-based counting the header as row 1."""

    file: str
    reason_vi: str
    reason_en: str
    row: int | None = None
    column: str | None = None

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"dòng/row {self.row}")
        if self.column:
            parts.append(f"cột/column {self.column}")
        return ", ".join(parts)

    def message(self) -> str:
        return f"{self.location()}: {self.reason_vi} / {self.reason_en}"


@dataclass
class InputError(Exception):
    """Bad input: raised with every problem found, so the user can fix them all at once."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self) -> str:
        return "\n".join(p.message() for p in self.problems)

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # Rebuilt from its problems, not from the message Exception keeps: so that an error
        # raised in a worker process (a province's PDFs) reaches the user as it was.
        return (type(self), (self.problems,))

    @classmethod
    def single(
        cls,
        file: str,
        reason_vi: str,
        reason_en: str,
        row: int | None = None,
        column: str | None = None,
    ) -> InputError:
        return cls([Problem(file, reason_vi, reason_en, row, column)])
