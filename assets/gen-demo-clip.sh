#!/usr/bin/env bash
# Regenerates assets/demo.mp4, the clip the demo camera loops.
#
# H.264 High profile, 1280x720, 25 fps, 2 B-frames, a closed GOP of 50 frames
# (one keyframe every 2 s), 10 s long. The picture moves and burns in the
# frame number and the clip time, so a viewer can tell at a glance that the
# video is live and whether frames are skipped.
#
# Needs ffmpeg with libx264 and libfreetype (Debian: ffmpeg, fonts-dejavu-core).
set -euo pipefail
cd "$(dirname "$0")"

font=/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf
text="fontfile=$font:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=12"

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=1280x720:rate=25:duration=10" \
  -vf "drawtext=$text:fontsize=64:x=40:y=40:text='camdeck demo',\
drawtext=$text:fontsize=56:x=40:y=h-120:text='frame %{eif\:n\:d\:4}  t=%{pts\:hms}'" \
  -c:v libx264 -preset slow -profile:v high -pix_fmt yuv420p \
  -bf 2 -g 50 -keyint_min 50 -sc_threshold 0 -x264-params open-gop=0 \
  -b:v 1200k -maxrate 1600k -bufsize 2400k \
  -movflags +faststart demo.mp4

ls -l demo.mp4
