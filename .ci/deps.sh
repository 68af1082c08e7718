#!/usr/bin/env bash
# Installs the Debian 12 packages txscreen needs to build and test, when any
# is missing.  Sourced by samples/run.sh and tests/run.sh; safe to re-run.
# Needs root (or sudo) only when something is missing.
# txs_install PKG...: apt-get install the packages not yet installed.
txs_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

txs_deps() {
  txs_install build-essential cmake pkg-config clang libclang-rt-14-dev \
              libvectorscan-dev libxxhash-dev libcriterion-dev \
              libyaml-dev libxml2-dev zlib1g-dev libzstd-dev zstd gzip time \
              libutf8proc-dev libicu-dev valgrind python3 libcurl4-openssl-dev libpcre2-dev
}

# What the test suite needs beyond the build: Debian's chromium for the
# report's browser test (tests/report/, docs/report.md).  Large (about
# 300 MB installed), so samples/run.sh does not call it; tests/run.sh does.
txs_test_deps() {
  txs_install chromium
}

# What bench/ compares against beyond the build: pcre2grep (pcre2-utils)
# and xmllint (libxml2-utils), and bc for the scripts' arithmetic.
txs_bench_deps() {
  txs_install pcre2-utils libxml2-utils bc
}
