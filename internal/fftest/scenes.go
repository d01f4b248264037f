package fftest

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
)

// Span is a stretch of a scene, in seconds from its start.
type Span struct {
	Start, End float64
}

// Scene is a test clip for motion detection with known truth: ffmpeg
// draws it (lavfi), so what moves and when is known to the frame.
type Scene struct {
	Name string
	// Seconds is the clip's length; the demo camera loops it.
	Seconds int
	// Objects are the times an object is in view: each must be an event.
	// A scene without objects must give none.
	Objects []Span
	// Global are the times of a change of the whole picture's light,
	// which must not be an event.
	Global []float64
	// filter draws the picture, [v] its output.
	filter string
}

// SceneSize and SceneFPS are those of a camera's sub-stream, which is
// what camdeck decodes for a tile and so what motion detection sees.
const (
	SceneWidth  = 640
	SceneHeight = 360
	SceneFPS    = 25
)

// sceneBackground is a still picture (SMPTE bars) with sensor-like
// noise: uniform, +-12 levels, new in every frame (allf=t).
var sceneBackground = fmt.Sprintf("smptehdbars=size=%dx%d:rate=%d,noise=alls=12:allf=t",
	SceneWidth, SceneHeight, SceneFPS)

// sceneObject is a box that shows against any bar: white with a black
// centre (size s) or a black right half.
func sceneObject(s int, centre bool) string {
	if centre {
		return fmt.Sprintf("color=c=white:size=%dx%d:rate=%d,drawbox=x=%d:y=%d:w=%d:h=%d:color=black:t=fill",
			s, s, SceneFPS, s/4, s/4, s/2, s/2)
	}
	return fmt.Sprintf("color=c=white:size=%dx%d:rate=%d,drawbox=x=%d:y=0:w=%d:h=%d:color=black:t=fill",
		s, s, SceneFPS, s/2, s/2, s)
}

// Scenes are the motion test clips: noise only, an object crossing,
// sudden changes of brightness, and a small object moving slowly.
var Scenes = []Scene{
	{
		Name: "noise", Seconds: 12,
		filter: sceneBackground + "[v]",
	},
	{
		// A 96-pixel box enters from the left at 3 s and leaves on the
		// right at 7.6 s, at 160 px/s (a person walking across a view
		// 10 m wide takes about 4 s).
		Name: "object", Seconds: 12, Objects: []Span{{3, 7.6}},
		filter: sceneBackground + "[bg];" + sceneObject(96, true) + "[o];" +
			"[bg][o]overlay=x='-96+(t-3)*160':y=150:enable='between(t,3,7.6)':eval=frame[v]",
	},
	{
		// The light goes up by a fifth of the range at 4 s and back at 8 s
		// (a lamp): two global changes, and two more at each loop's start.
		Name: "brightness", Seconds: 12, Global: []float64{4, 8},
		filter: sceneBackground + ",eq=brightness='if(between(t,4,8),0.2,0)':eval=frame[v]",
	},
	{
		// A 48-pixel box (a person far away: its white half, what shows on
		// the black bar it crosses, is 0.5 % of the picture) appears at
		// 2 s, moves right at 16 px/s, a third of its width a second, and
		// goes at 10 s.
		Name: "slow", Seconds: 12, Objects: []Span{{2, 10}},
		filter: sceneBackground + "[bg];" + sceneObject(48, false) + "[o];" +
			"[bg][o]overlay=x='330+(t-2)*16':y=290:enable='between(t,2,10)':eval=frame[v]",
	},
}

// Make encodes the scene as H.264 in dir/NAME.mp4 the way a camera's
// sub-stream is (1 Mbit/s, a keyframe every second and no others: x264's
// scene-cut detection would add one every few frames of this noise; no
// B-frames) and returns the path.
func (s Scene) Make(t testing.TB, dir string) string {
	t.Helper()
	return Make(t, filepath.Join(dir, s.Name+".mp4"),
		"-filter_complex", s.filter, "-map", "[v]", "-t", strconv.Itoa(s.Seconds),
		"-c:v", "libx264", "-preset", "veryfast", "-b:v", "1M", "-maxrate", "1500k", "-bufsize", "1M",
		"-g", strconv.Itoa(SceneFPS), "-sc_threshold", "0", "-bf", "0", "-pix_fmt", "yuv420p")
}
