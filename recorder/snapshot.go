package recorder

import (
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"time"
)

// SnapshotQuality is the JPEG quality of snapshots: 90 keeps text and fine
// detail of a camera picture legible at about a tenth of the PNG size.
const SnapshotQuality = 90

// SnapshotPath names a snapshot: <dir>/<camera>_YYYY-MM-DD_HH-MM-SS.jpg in
// local time, with -2, -3... appended rather than overwriting a file.
func SnapshotPath(dir, camera string, t time.Time) string {
	return freeName(dir, SafeName(camera)+"_"+t.Local().Format(timeLayout), ".jpg")
}

// WriteJPEG encodes img as a JPEG file. It writes a temporary file and
// renames it, so a crash never leaves half a picture under the final name.
func WriteJPEG(path string, img image.Image, quality int) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("recorder: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".snapshot-*.jpg")
	if err != nil {
		return fmt.Errorf("recorder: %w", err)
	}
	tmp := f.Name()
	err = jpeg.Encode(f, img, &jpeg.Options{Quality: quality})
	if err == nil {
		err = f.Chmod(0o644) // like the recordings; CreateTemp makes 0600
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("recorder: snapshot %s: %w", filepath.Base(path), err)
	}
	return nil
}
