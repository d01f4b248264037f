package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// FileVersion is the version of the profile file this camdeck writes. A
// file of a later version is not read (nor overwritten): it is kept aside.
const FileVersion = 1

// FileName is the profile file's name in the config folder.
const FileName = "profiles.json"

// File is the profile file's content.
type File struct {
	// Version is FileVersion.
	Version int `json:"version"`
	// Cameras in the order the window shows them.
	Cameras []Profile `json:"cameras"`
}

// Store keeps the profiles in one JSON file, mode 0600 (it holds camera
// passwords). Saving writes a temporary file and renames it, so a crash
// mid-save leaves the old file whole.
type Store struct {
	// Path of the file.
	// It defaults to DefaultPath().
	Path string
}

// DefaultPath is os.UserConfigDir()/camdeck/profiles.json
// ($XDG_CONFIG_HOME/camdeck/profiles.json on Linux).
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("app: no config folder: %w", err)
	}
	return filepath.Join(dir, "camdeck", FileName), nil
}

// BrokenError tells that the profile file could not be read; it was moved
// to Aside so that saving does not overwrite it.
type BrokenError struct {
	Path  string // the file that was read
	Aside string // where it is now
	Err   error  // why it could not be read
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("app: cannot read %s (%v); it was kept as %s", e.Path, e.Err, filepath.Base(e.Aside))
}

// Unwrap returns why the file could not be read.
func (e *BrokenError) Unwrap() error { return e.Err }

func (s *Store) path() (string, error) {
	if s.Path != "" {
		return s.Path, nil
	}
	p, err := DefaultPath()
	if err != nil {
		return "", err
	}
	s.Path = p
	return p, nil
}

// Load reads the profiles. On the first run (no file) it saves and
// returns the demo camera. A file it cannot read (broken JSON, a later
// version) is renamed aside and Load returns the demo camera with a
// *BrokenError, so the window can start and tell the user.
func (s *Store) Load() ([]Profile, error) {
	path, err := s.path()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		ps := []Profile{DemoProfile()}
		return ps, s.Save(ps)
	}
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	ps, perr := Decode(data)
	if perr == nil {
		return ps, nil
	}
	aside := fmt.Sprintf("%s.broken-%s", path, time.Now().Format("2006-01-02_15-04-05"))
	if err := os.Rename(path, aside); err != nil {
		return nil, fmt.Errorf("app: cannot read %s (%v) nor move it aside: %w", path, perr, err)
	}
	return []Profile{DemoProfile()}, &BrokenError{Path: path, Aside: aside, Err: perr}
}

// Decode parses a profile file and validates every profile.
func Decode(data []byte) ([]Profile, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("not a camdeck profile file: %w", err)
	}
	switch {
	case f.Version == 0:
		return nil, errors.New("not a camdeck profile file: no version")
	case f.Version > FileVersion:
		return nil, fmt.Errorf("written by a later camdeck (version %d, this one reads %d)", f.Version, FileVersion)
	}
	for i := range f.Cameras {
		if err := f.Cameras[i].Validate(); err != nil {
			return nil, fmt.Errorf("camera %d (%q): %w", i+1, f.Cameras[i].Name, err)
		}
	}
	return f.Cameras, nil
}

// Encode writes profiles as a profile file.
func Encode(ps []Profile) ([]byte, error) {
	if ps == nil {
		ps = []Profile{}
	}
	b, err := json.MarshalIndent(File{Version: FileVersion, Cameras: ps}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return append(b, '\n'), nil
}

// Save writes the profiles atomically with mode 0600.
func (s *Store) Save(ps []Profile) error {
	path, err := s.path()
	if err != nil {
		return err
	}
	data, err := Encode(ps)
	if err != nil {
		return err
	}
	return writeAtomic(path, data)
}

// Export writes the profiles to a file of the user's choice, as Save does.
func Export(path string, ps []Profile) error {
	data, err := Encode(ps)
	if err != nil {
		return err
	}
	return writeAtomic(path, data)
}

// Import reads a file that Export (or Save) wrote.
func Import(path string) ([]Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	ps, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("app: %s: %w", filepath.Base(path), err)
	}
	return ps, nil
}

// beforeRename runs between writing the temporary file and renaming it;
// tests make it fail to play a crash at the worst moment.
var beforeRename = func(tmp string) error { return nil }

// writeAtomic writes data to a temporary file next to path, syncs it, and
// renames it over path, then syncs the folder: the file is either the old
// one or the new one, whole.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	tmp := f.Name()
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = beforeRename(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("app: saving %s: %w", filepath.Base(path), err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
