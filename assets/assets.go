// Package assets holds the files camdeck embeds: the app icon and the demo
// clip the built-in camera loops.
package assets

import _ "embed"

// DemoClip is an MP4 with one H.264 track: High profile, 1280x720, 25 fps,
// 2 B-frames, a keyframe every 2 s, 10 s long. gen-demo-clip.sh makes it.
//
//go:embed demo.mp4
var DemoClip []byte

// Icon is the application icon, a 512x512 PNG. gen-icon.sh makes it.
//
//go:embed icon.png
var Icon []byte
