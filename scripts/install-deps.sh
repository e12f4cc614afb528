#!/usr/bin/env bash
# Installs the Debian packages spacestore needs to build, test, check (`make check`: clang and
# clang-tidy) and benchmark, but only the missing ones, so a second `make` is instant. Nothing
# else is downloaded at build time; the SDK for the conformance suite comes from the committed
# lockfile through `npm ci`.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  clang clang-tidy libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev postgresql libssl-dev openssl libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libutf8proc-dev libvips-dev
  nodejs npm
  # The console's browser tests (tests/conformance/console): driven by playwright-core from the
  # lockfile, never a browser download; the fonts make its screenshots legible.
  chromium fonts-dejavu-core
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk nginx-light curl jq)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    # node and npm may come from outside Debian on some images; the commands are what counts.
    if [[ "$p" == nodejs && -x "$(command -v node)" ]] || [[ "$p" == npm && -x "$(command -v npm)" ]]; then
      continue
    fi
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
