"""What one unit's check produced: plain, picklable data passed from a worker to the parent."""

from __future__ import annotations

from dataclasses import dataclass, field

# status of a unit, worst last
CLEAN = "clean"  # no errors (warnings and infos allowed)
ERRORS = "errors"  # the checker found errors
UNREADABLE = "unreadable"  # the file could not be read (InputError) or was refused as unsafe
TIMEOUT = "timeout"  # over the per-file time limit: the worker was killed
MEMORY = "memory"  # over the per-file memory limit
CRASHED = "crashed"  # the worker died
SKIPPED = "skipped"  # not looked into: a folder that cannot be listed, a link to a folder

STATUS_NAMES = {
    CLEAN: "无错误",
    ERRORS: "有错误",
    UNREADABLE: "无法读取",
    TIMEOUT: "超时",
    MEMORY: "内存超限",
    CRASHED: "处理异常",
    SKIPPED: "未检查",
}
FAILED = (UNREADABLE, TIMEOUT, MEMORY, CRASHED, SKIPPED)
LOST = (TIMEOUT, MEMORY, CRASHED)  # no result came back: ``--resume`` does these again

# the key totals of the summary, in 万元, in column order
TOTALS = ("收入总计", "支出总计", "基本支出", "项目支出", "三公经费")

# rule ids of the findings the batch itself makes
RULE_UNREADABLE = "batch.unreadable"
RULE_TABLES_UNREADABLE = "batch.tables_unreadable"
RULE_TIMEOUT = "batch.timeout"
RULE_MEMORY = "batch.memory"
RULE_CRASHED = "batch.crashed"
RULE_REPORT = "batch.report_failed"
# the file system's say: a link that loops or points nowhere, a FIFO, a device, empty, no permission,
# an error while reading — all redone by ``--resume`` (a permission fixed changes no modification time)
RULE_FILE = "batch.file"
RULE_FILE_NAME = "batch.file_name"  # a name that is not UTF-8: shown decoded as GBK
RULE_FOLDER = "batch.folder_skipped"
RULE_DUPLICATE = "batch.duplicate_unit"  # one unit's budget in two or more files (same name or same code)

# (rule, severity, table, location, message, expected, actual, quote) — a Finding as a tuple, its location
# as text (a PDF's page first), ``quote`` what a document prints there ("" where nothing is quoted)
FindingRow = tuple[str, str, "int | None", str, str, "str | None", "str | None", str]


@dataclass
class UnitResult:
    index: int  # position in the sorted list of inputs, from 1
    file: str  # path relative to the folder checked
    status: str = CLEAN
    unit: str = ""
    year: int | None = None
    code: str = ""  # the unit's code (单位编码) as its budget gives it
    budget: bool = False  # the file is a unit's budget (a workbook or unit JSON), read
    totals: dict[str, str] = field(default_factory=dict)  # TOTALS → 万元 string
    findings: list[FindingRow] = field(default_factory=list)
    seconds: float = 0.0  # wall time in the worker
    cpu_seconds: float = 0.0  # CPU time in the worker (less than ``seconds`` when it waited for a CPU)
    report: str = ""  # path of the report written, relative to the output folder
    report_refused: str = ""  # why no report was written for a unit that was read (its check found errors)
    findings_file: str = ""  # set by the parent, relative to the output folder
    resumed: bool = False  # read back from an earlier run's result (``--resume``), not checked again

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f[1] == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def infos(self) -> int:
        return self.count("info")

    @property
    def failed(self) -> bool:
        """Errors found, or the file could not be checked at all."""
        return self.status != CLEAN
