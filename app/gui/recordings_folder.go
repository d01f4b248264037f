package gui

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/camdeck/camdeck/player/decode"
	"github.com/camdeck/camdeck/recorder"
)

// FolderRecordings lists a camera's segments from its recordings folder
// (<Dir>/<camera>/<camera>_YYYY-MM-DD_HH-MM-SS.mp4), reading each file's
// duration: the stand-in until the library's index is wired in, which
// reads the start from the file itself and answers without a scan.
type FolderRecordings struct {
	// Dir is the recordings folder of the camera's profile. Required.
	Dir func(camera string) string
}

// fileTimeLayout is the recorder's time in file names.
const fileTimeLayout = "2006-01-02_15-04-05"

// Segments implements RecordingsSource.
func (f FolderRecordings) Segments(_ context.Context, camera string, from, to time.Time) ([]decode.Segment, error) {
	name := recorder.SafeName(camera)
	dir := filepath.Join(f.Dir(camera), name)
	ents, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var segs []decode.Segment
	for _, e := range ents {
		base, ok := strings.CutSuffix(e.Name(), ".mp4")
		if !ok || !strings.HasPrefix(base, name+"_") {
			continue
		}
		stamp := strings.TrimPrefix(base, name+"_")
		if i := strings.LastIndexByte(stamp, '-'); len(stamp) > len(fileTimeLayout) && i == len(fileTimeLayout) {
			stamp = stamp[:i] // a "-N" added for a name already taken
		}
		start, err := time.ParseInLocation(fileTimeLayout, stamp, time.Local)
		if err != nil || !start.Before(to) || start.Add(24*time.Hour).Before(from) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		d, err := decode.ProbeDuration(path)
		if err != nil || d <= 0 || !start.Add(d).After(from) {
			continue
		}
		segs = append(segs, decode.Segment{Path: path, Start: start, Duration: d})
	}
	sort.Slice(segs, func(i, j int) bool { return segs[i].Start.Before(segs[j].Start) })
	return segs, nil
}
