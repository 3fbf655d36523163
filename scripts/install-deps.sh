#!/usr/bin/env bash
# Installs the Debian 12 packages sfn builds and tests with, when any is missing. Needs root (or sudo).
#   --test        also what the test suite needs (graphviz, node, headless chromium for the console tests)
#   --sanitizers  also clang 14 with its sanitizer and libFuzzer runtimes (scripts/test-sanitizers.sh, scripts/fuzz.sh)
set -euo pipefail
packages=(g++ clang cmake ninja-build pkg-config git ca-certificates
  nlohmann-json3-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev libcpp-httplib-dev libcli11-dev
  libfmt-dev libyaml-cpp-dev libpcre2-dev libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev libxml2-dev libmimalloc-dev
  python3-botocore)  # the AWS service models (botocore/data) the generic AWS client reads
for option in "$@"; do
  case $option in
    --test)
      packages+=(graphviz chromium python3-websocket ccache)
      command -v node >/dev/null || packages+=(nodejs npm)
      ;;
    --sanitizers) packages+=(clang-14 libclang-rt-14-dev) ;;
    *) echo "usage: $0 [--test] [--sanitizers]" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
