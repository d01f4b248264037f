package decode

import (
	"fmt"
	"time"

	"github.com/asticode/go-astiav"
)

// ProbeDuration reads a recorded file's duration from its boxes with
// libavformat (no decoding), for sources that do not index files.
func ProbeDuration(path string) (time.Duration, error) {
	fc := astiav.AllocFormatContext()
	if fc == nil {
		return 0, fmt.Errorf("decode: cannot allocate a format context")
	}
	defer fc.Free()
	if err := fc.OpenInput(path, nil, nil); err != nil {
		return 0, fmt.Errorf("decode: open %s: %w", path, err)
	}
	defer fc.CloseInput()
	if err := fc.FindStreamInfo(nil); err != nil {
		return 0, fmt.Errorf("decode: read %s: %w", path, err)
	}
	return time.Duration(fc.Duration()) * time.Microsecond, nil // AV_TIME_BASE
}
