#!/usr/bin/env bash
# Where the page's wasm bytes are (issue #17's first lever): builds the app's release wasm as the
# shipped build does (before wasm-bindgen, so the name section is still there), and prints its
# size by crate and the largest functions, with twiggy (from crates.io; installed if missing).
#   scripts/wasm_profile.sh [N]    N: how many crates and functions to list (default 30)
# A function is counted under the crate its path starts with: generic code instantiated for
# another crate's types often lands under `core` or `alloc`, so read those two as "generics".
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-30}
command -v twiggy >/dev/null || cargo install --locked twiggy@0.8.0
cargo build --locked --release --target wasm32-unknown-unknown -p dataflow-app --bin dataflow-app
WASM=target/wasm32-unknown-unknown/release/dataflow-app.wasm
twiggy top -n 1000000 -f csv "$WASM" | python3 -c '
import csv, re, sys, collections
n = int(sys.argv[1])
rows = list(csv.DictReader(sys.stdin))
by, count, total, largest = collections.Counter(), collections.Counter(), 0, []
for row in rows:
    name, size = row["Name"], int(row["ShallowSize"])
    total += size
    m = re.match(r"<*([A-Za-z_][A-Za-z0-9_]*)::", name)
    key = m.group(1) if m and not name.startswith(("data segment", "custom section")) else "(" + name[:48] + ")"
    by[key] += size
    count[key] += 1
    if m:
        largest.append((size, name))
print(f"{total / 1e6:.2f} MB raw, {len(rows)} items")
print("by crate (or section):")
for key, size in by.most_common(n):
    print(f"  {size / 1e6:7.3f} MB {100 * size / total:5.1f} %  {count[key]:6d} items  {key}")
print("largest functions:")
for size, name in sorted(largest, reverse=True)[:n]:
    print(f"  {size / 1e3:8.1f} kB  {name[:110]}")
' "$N"
