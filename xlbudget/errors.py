"""Input problems: data, not tracebacks.

A reader collects every :class:`Problem` it meets and raises one
:class:`InputError` holding them all, so the user fixes the whole file at once.
The command line prints them and exits with code 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    location: str  # "basic[3].amount", "基本支出!D12", a file path
    message: str  # a Chinese sentence

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class InputError(Exception):
    """The input cannot be read; ``problems`` says what and where."""

    def __init__(self, problems: Iterable[Problem] | str, location: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(location, problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class OutputError(InputError):
    """The output cannot go where the user asked (a wrong file name, …): ``problems`` says what and where.
    The command line heads it 无法写出文件, not 无法读取输入."""
