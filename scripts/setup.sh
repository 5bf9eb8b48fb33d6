#!/usr/bin/env bash
# Installs everything pdscan needs on a fresh Debian machine: apt packages, then a venv in .venv.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libmagic1            # content type by content (python-magic)
  libacl1-dev          # POSIX ACLs (pylibacl builds against it)
  acl                  # getfacl/setfacl, used by the access tests
  tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng   # OCR of scans
  catdoc antiword      # legacy .doc/.xls/.ppt text
  p7zip-full           # 7z archives
  libarchive-tools     # bsdtar: compressed RAR members (rarfile's tool when unrar, which is non-free, is absent)
  fonts-dejavu-core    # a Cyrillic font for test images
  samba smbclient      # a real SMB server for the SMB tests
  chromium chromium-driver   # the HTML report is tested in a real browser
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "pdscan setup: apt-get install ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test,deep]'
