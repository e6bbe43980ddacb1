#!/usr/bin/env bash
# Runs one of binaryen's tools (version 120): `scripts/binaryen.sh wasm-split ARGS…`.
# web/tools/split.mjs needs wasm-split and wasm-opt's call graph (issue #17).
#
# Why this way: Debian bookworm's binaryen is 108, whose instrumented modules do not start
# (it mixes up wasm-bindgen's reference-types tables), and npm's binaryen.js has no wasm-split.
# Debian trixie's binaryen 120 works, but needs trixie's C and C++ libraries, so this script
# downloads those four packages from deb.debian.org once (each checked against the SHA256 of
# trixie's package index) into target/tools/binaryen and runs the tool with trixie's own
# dynamic loader, leaving the system's libraries alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/target/tools/binaryen"
lib="$dir/usr/lib/x86_64-linux-gnu"
if [ ! -x "$dir/usr/bin/wasm-split" ]; then
  mirror=http://deb.debian.org/debian
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  curl -fsS "$mirror/dists/trixie/main/binary-amd64/Packages.xz" | xz -d > "$tmp/Packages"
  mkdir -p "$dir"
  for pkg in binaryen libc6 libstdc++6 libgcc-s1; do
    read -r file sum < <(awk -v P="$pkg" '$0 == "Package: " P {p = 1} /^$/ {p = 0}
      p && /^Filename:/ {f = $2} p && /^SHA256:/ {s = $2} END {print f, s}' "$tmp/Packages")
    [ -n "$file" ] || { echo "binaryen.sh: no $pkg in trixie's index" >&2; exit 1; }
    curl -fsS -o "$tmp/$pkg.deb" "$mirror/$file"
    echo "$sum  $tmp/$pkg.deb" | sha256sum -c --quiet
    dpkg-deb -x "$tmp/$pkg.deb" "$dir"
  done
fi
tool=${1:?usage: scripts/binaryen.sh TOOL ARGS…}
shift
[ -x "$dir/usr/bin/$tool" ] || { echo "binaryen.sh: binaryen has no $tool" >&2; exit 1; }
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$dir/usr/bin/$tool" "$@"
