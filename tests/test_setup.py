"""Setting up, as a new user and a maintainer meet it: ``scripts/setup.sh`` run again needs neither root nor
the network, and the wheel ``make wheel`` builds installs into a fresh virtual environment and works there.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sysconfig
import venv
import zipfile
from pathlib import Path

from tests.conftest import ROOT, SEED_JSON
from xlbudget import __version__

# Programs a second run must not start: a shim for each one records the call and fails.
FORBIDDEN = ("apt-get", "apt", "dpkg", "sudo", "pip", "pip3", "npm", "npx", "curl", "wget")


def _shims(folder: Path, log: Path) -> Path:
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    for name in FORBIDDEN:
        shim = bin_dir / name
        shim.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\nexit 97\n')
        shim.chmod(shim.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    # `.venv/bin/python -m pip` does not go through PATH: a `pip` package first on its sys.path catches it
    pip = folder / "py" / "pip"
    pip.mkdir(parents=True)
    (pip / "__init__.py").write_text("")
    (pip / "__main__.py").write_text(
        f"import sys\nopen({str(log)!r}, 'a').write('python -m pip ' + ' '.join(sys.argv[1:]) + '\\n')\n"
        "sys.exit(97)\n"
    )
    return bin_dir


def test_setup_run_again_calls_neither_apt_nor_pip_nor_npm(tmp_path: Path) -> None:
    """The first run installs whatever is missing; every later one only looks.  Five times, because
    ``fc-list | grep -q`` under pipefail failed at random (grep stops reading, fc-list gets SIGPIPE);
    and pyproject.toml touched on the way, because its date made every checkout reinstall."""
    first = subprocess.run(
        ["bash", "scripts/setup.sh", "--system"], cwd=ROOT, capture_output=True, text=True, timeout=1800
    )
    assert first.returncode == 0, first.stdout + first.stderr
    log = tmp_path / "calls.log"
    bin_dir = _shims(tmp_path, log)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(tmp_path / "py"),
        # and should anything still reach for the network, it finds none
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "PIP_NO_INDEX": "1",
    }
    for i in range(5):
        if i == 2:  # a checkout or a rebase gives pyproject.toml a new date, not new content
            os.utime(ROOT / "pyproject.toml")
        again = subprocess.run(
            ["bash", "scripts/setup.sh", "--system"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert again.returncode == 0, again.stdout + again.stderr
        assert not log.exists(), log.read_text()
        assert again.stdout == ""  # nothing to install, nothing said


def test_the_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    """``make wheel`` → dist/xlbudget-VERSION-py3-none-any.whl; ``pip install`` of that file in a new venv
    gives a working ``xlbudget``: --help; ``new`` (which needs the catalogue, the profiles, the VBA
    sources and the ribbon from inside the package) writes the committed workbook; ``check`` and
    ``report`` (Word, its template built by the package) run on it.

    The venv gets the wheel itself with ``--no-deps``; its dependencies come from the project's .venv
    through a path file, so the test needs no network.  The package must be the wheel's, not the checkout.
    """
    dist = tmp_path / "dist"
    built = subprocess.run(
        ["make", "-s", "wheel", f"DIST={dist}"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = dist / f"xlbudget-{__version__}-py3-none-any.whl"
    assert wheel.exists(), sorted(p.name for p in dist.iterdir())
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in (
        "xlbudget/profiles/shanxi-13.json",
        "xlbudget/catalogue/data/2023/function.csv",
        "xlbudget/catalogue/data/2023/economic_dept.csv",
        "xlbudget/catalogue/data/2023/economic_gov.csv",
        "xlbudget/schema/unit-budget-1.schema.json",
        "xlbudget/workbook/vba/XlbudgetRibbon.bas",
        "xlbudget/workbook/vba/XlbudgetSelfTest.bas",
        "xlbudget/workbook/vba/xlwings_udfs.bas",
        "xlbudget/workbook/customUI14.xml",
        "xlbudget/workbook/default_unit.json",
        "xlbudget/report/template.py",  # the Word template's builder: an installed package makes its own
    ):
        assert data in names, data
    metadata = zipfile.ZipFile(wheel).read(f"xlbudget-{__version__}.dist-info/METADATA").decode()
    for dep in ("openpyxl", "XlsxWriter", "xlwings==0.37.8", "python-docx", "docxtpl"):
        assert f"Requires-Dist: {dep}" in metadata, dep

    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    install = subprocess.run(
        [py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        env=clean,
        timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    where = subprocess.run(
        [py, "-c", "import xlbudget; print(xlbudget.__file__)"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
    )
    assert where.stdout.strip().startswith(str(site)), where.stdout + where.stderr  # the wheel's package

    exe = env_dir / "bin" / "xlbudget"
    helped = subprocess.run([exe, "--help"], capture_output=True, text=True, env=clean, cwd=tmp_path)
    assert helped.returncode == 0 and "new" in helped.stdout and "fill" in helped.stdout, helped.stderr
    blank = subprocess.run(
        [exe, "new", "--year", "2023", "-o", "blank.xlsm"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
    )
    assert blank.returncode == 0, blank.stdout + blank.stderr
    seed = subprocess.run(
        [exe, "new", "--from", str(SEED_JSON), "-o", "seed.xlsm"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
    )
    assert seed.returncode == 0, seed.stdout + seed.stderr
    # the workbook the installed tool writes is the committed one, byte for byte
    assert (tmp_path / "seed.xlsm").read_bytes() == (ROOT / "workbook" / "Budget2023.xlsm").read_bytes()
    checked = subprocess.run(
        [exe, "check", "seed.xlsm"], capture_output=True, text=True, env=clean, cwd=tmp_path, timeout=300
    )
    assert checked.returncode in (0, 1), checked.stdout + checked.stderr  # read and checked, not unreadable
    # the Word report: the project's docx_templates/ is not in the wheel; the package builds its template
    report = subprocess.run(
        [exe, "report", "seed.xlsm", "-o", "report.docx"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
        timeout=300,
    )
    assert report.returncode == 0, report.stdout + report.stderr
    assert zipfile.ZipFile(tmp_path / "report.docx").read("word/document.xml").count(b"<w:tbl>") >= 13
