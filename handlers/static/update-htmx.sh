#!/bin/sh
# Re-packs the vendored htmx from npm and checks it against the pinned sha256
# (the same value pages_test.go pins). Node is needed only to run this script.
set -eu
VERSION=2.0.11
SHA256=d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "htmx.org@$VERSION" >/dev/null && tar xzf "htmx.org-$VERSION.tgz" package/dist/htmx.min.js)
echo "$SHA256  $tmp/package/dist/htmx.min.js" | sha256sum -c -
cp "$tmp/package/dist/htmx.min.js" "$here/htmx.min.js"
echo "htmx $VERSION updated"
