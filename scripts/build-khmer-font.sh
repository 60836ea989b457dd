#!/usr/bin/env bash
# Rebuild the self-hosted Khmer web font: Noto Sans Khmer Regular and Bold from Debian's
# fonts-noto-core, cut to the Khmer blocks (about 33 KB each as WOFF2). The pages load it only
# for Khmer characters (unicode-range), and only when the device has no Noto Sans Khmer itself.
# Needs fonts-noto-core (apt) and fonttools + brotli (pip, in any throwaway virtualenv).
set -euo pipefail
src=/usr/share/fonts/truetype/noto
out="$(dirname "$0")/../tracker/static/fonts"
for weight in Regular Bold; do
  pyftsubset "$src/NotoSansKhmer-$weight.ttf" \
    --unicodes="U+1780-17FF,U+19E0-19FF,U+200B-200D,U+25CC" \
    --layout-features='*' --flavor=woff2 \
    --output-file="$out/NotoSansKhmer-$weight.subset.woff2"
done
