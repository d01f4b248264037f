package recorder

import (
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"time"

	"github.com/camdeck/camdeck/internal/atomicfile"
)

// SnapshotQuality is the JPEG quality of snapshots: 90 keeps text and fine
// detail of a camera picture legible at about a tenth of the PNG size.
const SnapshotQuality = 90

// SnapshotPath names a snapshot: <dir>/<camera>_YYYY-MM-DD_HH-MM-SS.jpg in
// local time, with -2, -3... appended rather than overwriting a file.
func SnapshotPath(dir, camera string, t time.Time) string {
	return freeName(dir, SafeName(camera)+"_"+t.Local().Format(timeLayout), ".jpg")
}

// WriteJPEG encodes img as a JPEG file, mode 0644 like the recordings. It
// writes a temporary file and renames it, so a crash never leaves half a
// picture under the final name.
func WriteJPEG(path string, img image.Image, quality int) error {
	err := atomicfile.Write(path, 0o644, 0o755, func(w io.Writer) error {
		return jpeg.Encode(w, img, &jpeg.Options{Quality: quality})
	})
	if err != nil {
		return fmt.Errorf("recorder: snapshot: %w", err)
	}
	return nil
}
