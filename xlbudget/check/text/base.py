"""One way to say a text finding: the rule, the paragraph, the sentence quoted."""

from __future__ import annotations

from xlbudget.check.findings import Finding
from xlbudget.check.text.sentences import Para


def text_finding(
    rule: str,
    severity: str,
    para: Para,
    pos: int,
    message: str,
    expected: str | None = None,
    actual: str | None = None,
    table: int | None = None,
    quote: str | None = None,
) -> Finding:
    return Finding(
        rule,
        severity,
        table,
        para.where,
        message,
        expected,
        actual,
        quote=quote if quote is not None else para.sentence_at(pos),
    )
