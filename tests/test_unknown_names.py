"""Names a user types that the tool does not know — a profile, a rule id — are said as such, where they are.

Found by a review: an unknown ``unit.profile`` in a unit JSON (or a department's) ended in 内部错误 (exit 3);
a tables JSON naming an unknown profile passed ``check`` with "错误 0 项" although no table rule could run;
``batch --skip`` refused the report-check rules that batch itself reports; ``batch --report --skip RULE`` wrote
the report of a unit whose skipped rule found an error, which ``xlbudget report`` refuses.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_JSON
from tests.test_batch import _with_errors, _write_json
from tests.test_department import DEPT_INFO, write_department
from xlbudget.batch import BatchOptions, run_batch
from xlbudget.cli import main


def _seed() -> dict[str, Any]:
    return json.loads(Path(SEED_JSON).read_text("utf-8"))


def test_an_unknown_profile_in_a_unit_json_is_named_at_its_path(tmp_path: Path, capsys) -> None:
    data = _seed()
    data["unit"]["profile"] = "shanxi13"  # the hyphen forgotten
    unit = tmp_path / "unit.json"
    unit.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    for command in (
        ["export", str(unit), "-o", str(tmp_path / "t.json")],
        ["report", str(unit), "-o", str(tmp_path / "r.docx")],
    ):
        assert main(command) == 2, command
        err = capsys.readouterr().err
        assert "unit.profile: 未知的报表方案 “shanxi13”，应为 national-9、shanghai-9、shanxi-13 之一" in err
        assert "内部错误" not in err and "Traceback" not in err


def test_an_unknown_profile_of_a_department_is_named_at_its_path(tmp_path: Path, capsys) -> None:
    folder = write_department(tmp_path / "测试局")
    info = {**DEPT_INFO, "department": {**DEPT_INFO["department"], "profile": "bogus"}}
    (folder / "部门信息.json").write_text(json.dumps(info, ensure_ascii=False), "utf-8")
    assert main(["export", "--department", str(folder), "-o", str(tmp_path / "d.json")]) == 2
    err = capsys.readouterr().err
    assert "department.profile: 未知的报表方案 “bogus”" in err and "内部错误" not in err


def test_tables_of_an_unknown_profile_are_not_called_clean(tmp_path: Path, capsys) -> None:
    unit = tmp_path / "unit.json"
    shutil.copy(SEED_JSON, unit)
    tables = tmp_path / "t.json"
    assert main(["export", str(unit), "-o", str(tables)]) == 0
    data = json.loads(tables.read_text("utf-8"))
    data["profile"] = "sanxi-13"
    tables.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    capsys.readouterr()
    main(["check", "--format", "json", str(tables)])
    findings = json.loads(capsys.readouterr().out)
    unknown = [f for f in findings if f["rule"] == "coverage.unknown_profile"]
    assert len(unknown) == 1 and unknown[0]["severity"] == "warning"
    assert "“sanxi-13”" in unknown[0]["message"] and "不说明各表一致" in unknown[0]["message"]
    # the same file with its right profile draws no such warning
    data["profile"] = "shanxi-13"
    tables.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    main(["check", "--format", "json", str(tables)])
    assert not [f for f in json.loads(capsys.readouterr().out) if f["rule"] == "coverage.unknown_profile"]


@pytest.mark.slow  # batch workers are processes
def test_batch_skip_takes_every_rule_check_takes(tmp_path: Path, capsys) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SEED_JSON, inbox / "seed.json")
    for rule in ("document.other_unit", "document.contents", "rounding.tail"):
        assert (
            main(["batch", str(inbox), "-o", str(tmp_path / rule), "--skip", rule, "-q", "--jobs", "1"]) == 0
        )
        assert main(["check", str(SEED_JSON), "--skip", rule]) == 0
    assert main(["batch", str(inbox), "-o", str(tmp_path / "x"), "--skip", "no.such_rule", "-q"]) == 2
    assert "没有这些规则：no.such_rule" in capsys.readouterr().err


@pytest.mark.slow
def test_batch_report_is_refused_on_errors_even_of_skipped_rules(tmp_path: Path) -> None:
    """``--skip`` hides findings from the lists; it does not lift the no-report-from-wrong-figures rule,
    just as ``xlbudget report`` (which takes no --skip) checks every rule."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    _write_json(inbox / "has_errors.json", _with_errors())
    first = run_batch(inbox, tmp_path / "all", BatchOptions(jobs=1, report=True))[0]
    rules = sorted({f[0] for f in first.findings if f[1] == "error"})
    assert rules and first.report_refused == f"未生成：{first.errors} 项错误"
    skipped = run_batch(
        inbox, tmp_path / "skipped", BatchOptions(jobs=1, report=True, skip=frozenset(rules))
    )[0]
    assert not [f for f in skipped.findings if f[0] in rules]  # hidden from the lists, as asked
    assert skipped.report == "" and skipped.report_refused == f"未生成：{first.errors} 项错误"
    assert not (tmp_path / "skipped" / "reports").exists() or not list(
        (tmp_path / "skipped" / "reports").iterdir()
    )


def test_the_memory_cap_is_left_off_where_the_system_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no ``resource`` module: the default 2048 MB cap must not fail every file there."""
    from xlbudget.batch.worker import limit_memory

    monkeypatch.setitem(sys.modules, "resource", None)  # import resource → ImportError, as on Windows
    limit_memory(2048)  # no exception: no cap


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"id": "mine", "name": "我的", "tables": [{"number": 1}]}', "报表方案 mine 表1：缺少 layout"),
        ("{not json", "不是有效的 JSON：第 1 行第 2 列"),
        ('{"name": "无 id", "tables": []}', "缺少 id"),
    ],
)
def test_a_broken_profile_of_ones_own_is_said_not_crashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, content: str, said: str
) -> None:
    """A province's own profile file under $XLBUDGET_PROFILES that cannot be used: exit 2, what and where."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "mine.json").write_text(content, "utf-8")
    monkeypatch.setenv("XLBUDGET_PROFILES", str(folder))
    data = _seed()
    data["unit"]["profile"] = "mine"
    unit = tmp_path / "unit.json"
    unit.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert main(["export", str(unit), "-o", str(tmp_path / "t.json")]) == 2
    err = capsys.readouterr().err
    assert said in err and "内部错误" not in err
