"""Run the units through worker processes, each file under a time and a memory limit.

A small supervisor rather than ``ProcessPoolExecutor``: the executor cannot kill
the one worker stuck on a hostile file (it breaks the whole pool instead), and
here a worker over its time limit is killed with SIGKILL and replaced, and the
others carry on.  Workers come from a ``forkserver`` that has already imported
the checker, so a replacement starts in milliseconds.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from xlbudget.batch.files import name_is_utf8, readable_name
from xlbudget.batch.result import (
    CRASHED,
    MEMORY,
    RULE_CRASHED,
    RULE_FOLDER,
    RULE_MEMORY,
    RULE_TIMEOUT,
    SKIPPED,
    TIMEOUT,
    UnitResult,
)
from xlbudget.batch.worker import Task, process_unit, worker_main

DEFAULT_TIMEOUT = 120.0  # seconds per file
DEFAULT_MEMORY_MB = 2048  # address space per worker


@dataclass(frozen=True)
class BatchOptions:
    jobs: int = 0  # 0 = one per CPU
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    report: bool = False
    force: bool = False  # with report: a report also for a unit whose check found errors
    skip: frozenset[str] = frozenset()
    resume: bool = False  # keep the results of an earlier run whose files are unchanged

    def workers(self, tasks: int) -> int:
        jobs = self.jobs if self.jobs > 0 else (os.cpu_count() or 1)
        return max(1, min(jobs, tasks))


class _Worker:
    def __init__(self, ctx: Any, memory_mb: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker_main, args=(child, memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.task: Task | None = None
        self.started = 0.0

    def give(self, task: Task) -> None:
        self.task = task
        self.started = time.monotonic()
        self.conn.send(task)

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)
        self.conn.close()


def _context() -> Any:
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["xlbudget.batch._preload"])
    return ctx


def _lost(task: Task, status: str, rule: str, message: str, seconds: float) -> UnitResult:
    return UnitResult(
        index=task.index,
        file=task.file,
        status=status,
        findings=[(rule, "error", None, task.file, message, None, None, "")],
        seconds=seconds,
    )


def run_tasks(
    tasks: Iterable[Task],
    options: BatchOptions,
    on_start: Callable[[Task], None] | None = None,
) -> Iterator[UnitResult]:
    """Results in the order they finish; every task yields exactly one result."""
    pending = list(tasks)
    if not pending:
        return
    pending.reverse()  # pop() from the end keeps the original order
    n = options.workers(len(pending))
    if n == 1 and options.timeout <= 0 and options.memory_mb <= 0:
        # no limits asked for: run in this process (used by tests and profiling)
        while pending:
            task = pending.pop()
            if on_start:
                on_start(task)
            yield process_unit(task)
        return
    ctx = _context()
    workers = [_Worker(ctx, options.memory_mb) for _ in range(n)]
    try:
        while pending or any(w.task is not None for w in workers):
            for i, w in enumerate(workers):
                if w.task is None and pending:
                    if not w.proc.is_alive():
                        w.kill()
                        workers[i] = w = _Worker(ctx, options.memory_mb)
                    task = pending.pop()
                    if on_start:
                        on_start(task)
                    try:
                        w.give(task)
                    except (OSError, BrokenPipeError):  # died between tasks: try a fresh one
                        w.kill()
                        workers[i] = w = _Worker(ctx, options.memory_mb)
                        w.give(task)
            busy = [w for w in workers if w.task is not None]
            now = time.monotonic()
            wait_for = 0.5
            if options.timeout > 0:
                wait_for = min([wait_for] + [max(0.0, w.started + options.timeout - now) for w in busy])
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=wait_for)
            now = time.monotonic()
            for i, w in enumerate(workers):
                busy_with = w.task
                if busy_with is None:
                    continue
                elapsed = now - w.started
                if w.conn in ready:
                    try:
                        result: UnitResult = w.conn.recv()
                    except (EOFError, OSError):
                        result = None  # type: ignore[assignment]
                    if result is not None:
                        w.task = None
                        if result.status == MEMORY:  # that worker exits after it: replace it now
                            w.kill()
                            workers[i] = _Worker(ctx, options.memory_mb)
                        yield result
                        continue
                if w.proc.sentinel in ready or not w.proc.is_alive() or (w.conn in ready):
                    w.proc.join(1)
                    code = w.proc.exitcode
                    if code is not None and code < 0:
                        why = (
                            f"处理该文件的进程被信号 {-code} 终止（可能超出内存上限 {options.memory_mb} MB）"
                        )
                        status, rule = (MEMORY, RULE_MEMORY) if -code == 9 else (CRASHED, RULE_CRASHED)
                    else:
                        why = f"处理该文件的进程意外退出（退出码 {code}）"
                        status, rule = CRASHED, RULE_CRASHED
                    yield _lost(busy_with, status, rule, why, elapsed)
                    w.kill()
                    workers[i] = _Worker(ctx, options.memory_mb)
                elif options.timeout > 0 and elapsed >= options.timeout:
                    w.kill()
                    yield _lost(
                        busy_with,
                        TIMEOUT,
                        RULE_TIMEOUT,
                        f"处理该文件超过 {options.timeout:g} 秒仍未完成，已终止；其余文件照常处理",
                        elapsed,
                    )
                    workers[i] = _Worker(ctx, options.memory_mb)
    finally:
        for w in workers:
            if w.task is not None:
                w.kill()
            else:
                w.stop()


def _folder_result(index: int, entry: Any) -> UnitResult:
    return UnitResult(
        index=index,
        file=readable_name(entry.rel),
        status=SKIPPED,
        findings=[(RULE_FOLDER, "error", None, readable_name(entry.rel), entry.message, None, None, "")],
    )


def run_batch(
    root: Path,
    outdir: Path,
    options: BatchOptions = BatchOptions(),
    progress: Any = None,
    notes: list[str] | None = None,
) -> list[UnitResult]:
    """Check every input under ``root``; write the summary workbook and findings CSVs into ``outdir``.

    Returns one result per input (and per folder that could not be looked into), in input order;
    the summary is written whatever the files are.  A unit whose budget came in two or more files gets a
    warning on each (:mod:`~xlbudget.batch.duplicates`).  With ``options.resume``, files whose earlier
    result in ``outdir`` still stands are not checked again (:mod:`~xlbudget.batch.resume`).
    Folders an earlier batch wrote are skipped: a sentence for each is appended to ``notes`` and to the
    summary's 说明 sheet.  Raises :class:`~xlbudget.errors.InputError` when ``root`` is not a folder or
    holds no inputs.
    """
    from xlbudget.batch import resume
    from xlbudget.batch.discover import FOLDER_OUTPUT, discover, mark_output
    from xlbudget.batch.duplicates import mark_duplicates
    from xlbudget.batch.summary import write_outputs
    from xlbudget.errors import InputError

    root, outdir = Path(root), Path(outdir)
    if not root.exists():
        raise InputError("文件夹不存在", str(root))
    if not root.is_dir():
        raise InputError("这不是文件夹：batch 检查一个文件夹里的全部工作簿与 JSON", str(root))
    if outdir.exists() and os.path.samefile(outdir, root):
        raise InputError("结果文件夹不能就是要检查的文件夹：请用 -o 指定另一个文件夹", str(outdir))
    entries = discover(root, exclude=outdir)
    skipped = [f"{readable_name(e.rel)}：{e.message}" for e in entries if e.problem == FOLDER_OUTPUT]
    if notes is not None:
        notes.extend(skipped)
    entries = [e for e in entries if e.problem != FOLDER_OUTPUT]
    if not entries:
        raise InputError("文件夹里没有找到工作簿（.xlsm/.xlsx）或单位预算 JSON（.json）", str(root))
    outdir.mkdir(parents=True, exist_ok=True)
    mark_output(outdir)
    if not options.resume:
        resume.clear(outdir)
    if options.report:
        (outdir / "reports").mkdir(exist_ok=True)
    out = os.path.abspath(outdir)
    results: list[UnitResult] = []
    tasks: list[Task] = []
    for i, e in enumerate(entries, 1):
        if e.problem:
            results.append(_folder_result(i, e))
            continue
        path = os.path.abspath(e.path)  # not resolve(): a link that loops is the worker's finding
        task = Task(
            index=i,
            path=path,
            file=readable_name(e.rel),
            outdir=out,
            report=options.report,
            force=options.force,
            skip=options.skip,
            name_not_utf8=not name_is_utf8(e.rel),
            stamp=resume.stamp(path),
        )
        earlier = resume.load(outdir, task) if options.resume else None
        if earlier is not None:
            results.append(earlier)
        else:
            tasks.append(task)
    by_index = {t.index: t for t in tasks}
    if progress is not None:
        progress.start(len(tasks))
    for result in run_tasks(tasks, options, on_start=(progress.current if progress is not None else None)):
        results.append(result)
        try:
            resume.save(outdir, by_index[result.index], result)
        except OSError:
            pass  # only --resume is worse off: the summary still gets this result
        if progress is not None:
            progress.done(result)
    if progress is not None:
        progress.finish()
    results.sort(key=lambda r: r.index)
    mark_duplicates(results)
    write_outputs(results, outdir, root=root, notes=skipped)
    return results
