#!/usr/bin/env bash
# Regenerates assets/icon.png: a camera lens on a rounded dark tile with a red
# recording dot. Needs ImageMagick (Debian: imagemagick).
set -euo pipefail
cd "$(dirname "$0")"
convert -size 512x512 xc:none \
  -fill '#1f2933' -draw 'roundrectangle 16,16 496,496 96,96' \
  -fill '#3e4c59' -draw 'roundrectangle 76,150 436,390 40,40' \
  -fill '#9aa5b1' -draw 'circle 256,270 256,170' \
  -fill '#1f2933' -draw 'circle 256,270 256,196' \
  -fill '#2186eb' -draw 'circle 256,270 256,226' \
  -fill '#e12d39' -draw 'circle 392,120 392,84' \
  -strip icon.png
ls -l icon.png
