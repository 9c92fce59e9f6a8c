#!/usr/bin/env bash
# Checks a built levit-lens .deb as a distribution would: its desktop entry with desktop-file-validate,
# its AppStream metainfo with appstreamcli (no network), and the whole package with lintian, minus the
# tags installer/lintian-overrides accepts (each with its reason there). Exits non-zero on any error.
# Usage: tools/check-deb.sh PACKAGE.deb
set -euo pipefail
deb=$(realpath "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
dpkg-deb -x "$deb" "$tree"

desktop="$tree/usr/share/applications/io.github.levit_lens.LevitLens.desktop"
metainfo="$tree/usr/share/metainfo/io.github.levit_lens.LevitLens.metainfo.xml"
for f in "$desktop" "$metainfo" "$tree/usr/share/icons/hicolor/scalable/apps/levit-lens.svg" \
         "$tree/usr/share/man/man1/levit.1.gz" "$tree/usr/share/man/man1/levit-lens.1.gz" \
         "$tree/usr/share/bash-completion/completions/levit"; do
    [ -f "$f" ] || { echo "check-deb.sh: the package lacks ${f#"$tree"}" >&2; exit 1; }
done
desktop-file-validate "$desktop"
appstreamcli validate --no-net "$metainfo"

# lintian's own exit code counts warnings as failures only with --fail-on; errors and warnings both fail here.
overrides="$src/installer/lintian-overrides"
# (lintian's note that it runs as root, which CI does, is dropped from stderr; everything else stays.)
report=$(lintian --fail-on none --tag-display-limit 0 --suppress-tags-from-file "$overrides" "$deb" \
         2> >(grep -v 'running with root privileges' >&2))
if [ -n "$report" ]; then
    echo "$report"
fi
if echo "$report" | grep -qE '^[EW]: '; then
    echo "check-deb.sh: lintian reports errors or warnings on $deb (fix them, or accept one in $overrides with its reason)" >&2
    exit 1
fi
echo "check-deb.sh: $(basename "$deb") passes desktop-file-validate, appstreamcli and lintian"
