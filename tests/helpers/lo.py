"""Run LibreOffice headless through UNO, for tests that need a real spreadsheet engine.

``uno`` belongs to the system interpreter (Debian's ``python3-uno``), so every
call runs a small driver under ``/usr/bin/python3`` as a subprocess.  The
driver starts its own ``soffice`` with a private, throw-away user profile
(``-env:UserInstallation=file:///tmp/...``) and a private pipe, runs the given
script, then shuts that office down.  Calls are therefore independent and may
run in parallel.

Public functions:

* ``run_uno_script(script, *args, timeout=...) -> str`` -- run Python source
  with ``ctx``, ``smgr``, ``desktop``, ``uno``, ``args``, ``load(path,
  macros=False)`` and ``store(doc, path)`` in scope; returns its stdout.
* ``recalculate(path_in, path_out)`` -- load, ``calculateAll()``, store (the
  format follows ``path_out``'s extension: xlsx, xlsm, ods, xls, pdf, csv).
* ``sheet_as_csv(workbook, outdir) -> str`` -- the first sheet as LibreOffice shows it, as CSV.
* ``run_macro(xlsm_path, macro_name, out_path, *args) -> str`` -- load with
  macros enabled, call ``VBAProject.<Module>.<Sub>`` (or any Basic macro given
  as ``Library.Module.Name``), store, and return ``str()`` of its result.

``LibreOfficeError`` is raised on any failure, ``LibreOfficeMissing`` (a
subclass) when LibreOffice or python3-uno is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

UNO_PYTHON = "/usr/bin/python3"
INSTALL_HINT = "apt-get install -y libreoffice-calc-nogui python3-uno fonts-noto-cjk"


class LibreOfficeError(RuntimeError):
    """LibreOffice could not do what was asked."""


class LibreOfficeMissing(LibreOfficeError):
    """LibreOffice or its Python-UNO bridge is not installed."""


def find_soffice() -> str | None:
    """Path of the ``soffice`` launcher, or None."""
    for cand in (os.environ.get("SOFFICE"), shutil.which("soffice"), "/usr/lib/libreoffice/program/soffice"):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def missing_reason() -> str | None:
    """Why LibreOffice cannot be used here, or None if it can."""
    if find_soffice() is None:
        return f"LibreOffice (soffice) is not installed; install it with: {INSTALL_HINT}"
    if not os.access(UNO_PYTHON, os.X_OK):
        return f"{UNO_PYTHON} does not exist; install it with: {INSTALL_HINT}"
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, env=_clean_env())
    if probe.returncode != 0:
        return f"{UNO_PYTHON} cannot import uno (python3-uno missing); install it with: {INSTALL_HINT}"
    return None


def _clean_env() -> dict[str, str]:
    """Environment for the system interpreter: drop this interpreter's Python settings."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONNOUSERSITE"}
    return {k: v for k, v in os.environ.items() if k not in drop}


# Runs under /usr/bin/python3: argv = [driver, soffice, profile_dir, script_file, args_json].
_DRIVER = r'''
import json, os, subprocess, sys, time, uuid
import uno
from com.sun.star.beans import PropertyValue

soffice, profile, script_file, args = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
pipe = "xlbudget_lo_" + uuid.uuid4().hex
office = subprocess.Popen(
    [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
     "--nolockcheck", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
     "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".xlsm": "Calc MS Excel 2007 VBA XML",
           ".ods": "calc8", ".xls": "MS Excel 97", ".pdf": "calc_pdf_Export", ".csv": "Text - txt - csv (StarCalc)"}


def load(path, macros=False):
    """Open a document hidden; macros=True runs its macros without asking (MacroExecutionMode 4)."""
    props = [prop("Hidden", True)]
    if macros:
        props.append(prop("MacroExecutionMode", 4))  # ALWAYS_EXECUTE_NO_WARN
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0, tuple(props))
    if doc is None:
        raise RuntimeError("LibreOffice could not load " + path)
    return doc


def store(doc, path):
    """Store a copy of doc; the filter follows the extension of path."""
    ext = os.path.splitext(path)[1].lower()
    props = (prop("FilterName", FILTERS[ext]), prop("Overwrite", True))
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(path)), props)


try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 90
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            if office.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("soffice did not start (exit code %s)" % office.poll())
            time.sleep(0.2)
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    with open(script_file, encoding="utf-8") as f:
        code = compile(f.read(), "<uno script>", "exec")
    exec(code, {"ctx": ctx, "smgr": smgr, "desktop": desktop, "uno": uno, "args": args,
                "load": load, "store": store, "prop": prop, "__name__": "__uno_script__"})
    sys.stdout.flush()
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        office.kill()
        office.wait()
'''


def run_uno_script(script: str, *args: str, timeout: float = 300) -> str:
    """Run ``script`` (Python source) against a fresh headless LibreOffice; return its stdout.

    In scope: ``ctx``, ``smgr``, ``desktop``, ``uno``, ``args`` (the strings
    given here), ``prop(name, value)`` (a PropertyValue), ``load(path,
    macros=False)`` and ``store(doc, path)``.  Close documents you open
    (``doc.close(True)``).  An exception in the script raises
    ``LibreOfficeError`` with its traceback.
    """
    reason = missing_reason()
    if reason:
        raise LibreOfficeMissing(reason)
    soffice = find_soffice()
    assert soffice is not None
    with tempfile.TemporaryDirectory(prefix="lo_run_") as tmp:
        driver, script_file = Path(tmp, "driver.py"), Path(tmp, "script.py")
        driver.write_text(_DRIVER, encoding="utf-8")
        script_file.write_text(script, encoding="utf-8")
        profile = Path(tmp, "profile")
        profile.mkdir()
        cmd = [
            UNO_PYTHON,
            str(driver),
            soffice,
            str(profile),
            str(script_file),
            json.dumps([str(a) for a in args]),
        ]
        # A session of its own, so that a timeout can end the driver and its soffice together.
        with subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_clean_env(),
            start_new_session=True,
        ) as proc:
            try:
                stdout, stderr = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                raise LibreOfficeError(f"LibreOffice script timed out after {timeout} s") from exc
    if proc.returncode != 0:
        raise LibreOfficeError(f"LibreOffice script failed (exit {proc.returncode}):\n{stderr}{stdout}")
    return stdout


_RECALC = """
doc = load(args[0])
try:
    doc.calculateAll()
    store(doc, args[1])
finally:
    doc.close(True)
"""

_RUN_MACRO = """
import json
PROBE = "Option VBASupport 1\\nFunction XlbudgetProbe()\\n    XlbudgetProbe = 1\\nEnd Function\\n"
doc = load(args[0], macros=True)
try:
    library, module, name = args[1].split(".")
    provider = doc.getScriptProvider()
    url = "vnd.sun.star.script:%s.%s.%s?language=Basic&location=document"
    # LibreOffice compiles a Basic library as a whole and, headless, a compile
    # error only makes every macro of it return nothing.  A probe module turns
    # that silence into an error.
    lib = doc.BasicLibraries
    lib.loadLibrary(library)
    lib = lib.getByName(library)
    lib.insertByName("XlbudgetProbe", PROBE)
    probe = provider.getScript(url % (library, "XlbudgetProbe", "XlbudgetProbe")).invoke((), (), ())[0]
    lib.removeByName("XlbudgetProbe")
    if probe != 1:
        raise RuntimeError("LibreOffice could not compile the Basic library %s of %s" % (library, args[0]))
    result = provider.getScript(url % (library, module, name)).invoke(tuple(json.loads(args[3])), (), ())[0]
    store(doc, args[2])
    print(json.dumps("" if result is None else str(result)))
finally:
    doc.close(True)
"""


def recalculate(
    path_in: str | os.PathLike[str], path_out: str | os.PathLike[str], *, timeout: float = 300
) -> None:
    """Open ``path_in``, recalculate every formula, save to ``path_out`` (format by extension)."""
    run_uno_script(_RECALC, os.fspath(path_in), os.fspath(path_out), timeout=timeout)


def run_macro(
    xlsm_path: str | os.PathLike[str],
    macro_name: str,
    out_path: str | os.PathLike[str],
    *args: str | int | float,
    timeout: float = 300,
) -> str:
    """Open ``xlsm_path`` with macros enabled, run a macro, save to ``out_path``; return its result.

    ``macro_name`` is ``Module.Sub`` (taken from the ``VBAProject`` library,
    where LibreOffice puts imported VBA) or ``Library.Module.Sub``.  ``args``
    are passed to the macro; the result is ``str()`` of its return value, or
    ``""`` for a Sub.
    """
    if macro_name.count(".") == 1:
        macro_name = "VBAProject." + macro_name
    out = run_uno_script(
        _RUN_MACRO,
        os.fspath(xlsm_path),
        macro_name,
        os.fspath(out_path),
        json.dumps(list(args)),
        timeout=timeout,
    )
    return json.loads(out.strip().splitlines()[-1])


if __name__ == "__main__":  # python -m tests.helpers.lo IN OUT: recalculate a workbook
    recalculate(sys.argv[1], sys.argv[2])


def sheet_as_csv(workbook: Path, outdir: Path) -> str:
    """The first sheet of ``workbook`` as LibreOffice shows it, saved as UTF-8 CSV (a formula would show its
    result there, a text stays text). Fails with the install command when LibreOffice is missing."""
    soffice = find_soffice()
    assert soffice, f"LibreOffice is needed: {INSTALL_HINT} (make test does it)"
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{outdir / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(outdir),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    converted = outdir / (workbook.stem + ".csv")
    assert converted.exists(), proc.stdout + proc.stderr
    return converted.read_text("utf-8")
