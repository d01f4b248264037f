// Package atomicfile writes a file so that it is either the old one or the
// new one, whole: a temporary file next to it, synced, renamed over it.
// The profile store and snapshots use it.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// BeforeRename runs between writing the temporary file and renaming it;
// tests make it fail to play a crash at the worst moment.
var BeforeRename = func(tmp string) error { return nil }

// Write creates path's folder (mode dirMode) if needed, has write fill a
// temporary file of the given mode next to path, syncs it, renames it
// over path and syncs the folder. On failure the temporary file is
// removed and path is untouched. Errors are prefixed with "atomicfile:".
func Write(path string, mode, dirMode os.FileMode, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	tmp := f.Name()
	err = f.Chmod(mode)
	if err == nil {
		err = write(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = BeforeRename(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("atomicfile: %s: %w", filepath.Base(path), err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // the rename itself survives a power cut
		d.Close()
	}
	return nil
}
