package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/camdeck/camdeck/internal/atomicfile"
	"github.com/camdeck/camdeck/player"
)

// FileVersion is the version of the profile file this camdeck writes. A
// file of a later version is not read (nor overwritten): it is kept aside.
// Version 2 tells a chosen "tcp" from the default: version 1 editors
// wrote "tcp" for every camera whose user left the transport alone.
const FileVersion = 2

// FileName is the profile file's name in the config folder.
const FileName = "profiles.json"

// File is the profile file's content.
type File struct {
	// Version is FileVersion.
	Version int `json:"version"`
	// Cameras in the order the window shows them.
	Cameras []Profile `json:"cameras"`
	// Retention bounds all cameras' recordings together; absent, nothing
	// does (each camera's KeepDays still applies).
	Retention *Retention `json:"retention,omitempty"`
}

// Retention is what the window keeps of all cameras' recordings.
type Retention struct {
	// MaxGB bounds the recordings of all cameras; 0 sets no limit.
	MaxGB float64 `json:"max_gb,omitempty"`
	// MinFreeGB is the space to leave free on the recordings' file
	// systems; 0 sets no limit.
	MinFreeGB float64 `json:"min_free_gb,omitempty"`
}

// Store keeps the profiles in one JSON file, mode 0600 (it may hold camera
// passwords). Saving writes a temporary file and renames it, so a crash
// mid-save leaves the old file whole. With a Keyring that answers, the
// passwords are kept there instead and the file holds only a reference
// to each (PasswordRef); a password found in clear in the file moves
// there on Load.
type Store struct {
	// Path of the file.
	// It defaults to DefaultPath().
	Path string
	// Logf tells what Load repaired (a file readable by others).
	// It defaults to log.Printf.
	Logf func(format string, args ...any)
	// Keyring keeps the passwords out of the file when it answers.
	// It defaults to nil: the file only, so that tests and tools stay out
	// of the user's keyring; the window sets it.
	Keyring *Keyring

	saveMu       sync.Mutex        // one Save at a time
	mu           sync.Mutex        // the fields below
	stored       map[string]string // profile ID to the password in the keyring
	unread       map[string]error  // profile ID to why its keyring password could not be read
	keyringErr   error             // of the last talk with the keyring
	keyringTried bool

	// Retention is the file's limits for all cameras: Load reads them,
	// Save writes them back with the profiles.
	Retention Retention
}

// timeNow dates set-aside files; tests fix it.
var timeNow = time.Now

// MaxFileSize bounds the profile file: a thousand cameras take about
// 500 KB, so 4 MiB is room to spare, and a larger file is not one camdeck
// wrote (reading it whole could take a lot of memory).
const MaxFileSize = 4 << 20

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
	data, err := s.read(path)
	if errors.Is(err, fs.ErrNotExist) {
		ps := []Profile{DemoProfile()}
		return ps, s.Save(ps)
	}
	var perr error
	var ps []Profile
	if errors.As(err, new(*tooLargeError)) {
		perr = err
	} else if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	} else if ps, perr = Decode(data); perr == nil {
		var f struct{ Retention *Retention }
		if json.Unmarshal(data, &f) == nil && f.Retention != nil {
			s.Retention = *f.Retention
		}
		withIDs(ps)
		s.migrate(ps, s.readPasswords(ps)) // saves: after Retention is read
		return ps, nil
	}
	aside, err := setAside(path, timeNow())
	if err != nil {
		return nil, fmt.Errorf("app: cannot read %s (%v) nor move it aside: %w", path, perr, err)
	}
	return []Profile{DemoProfile()}, &BrokenError{Path: path, Aside: aside, Err: perr}
}

// tooLargeError is a profile file over MaxFileSize.
type tooLargeError struct{ size int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("%d bytes, larger than the %d MiB a profile file may be", e.size, MaxFileSize>>20)
}

// read reads the profile file, at most MaxFileSize of it, and makes it
// mode 0600 if others could read it (it holds camera passwords).
func (s *Store) read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		if err := f.Chmod(0o600); err == nil {
			s.logf("app: %s was mode %04o, readable by others; it is now 0600", path, perm)
		}
	}
	if fi.Size() > MaxFileSize {
		return nil, &tooLargeError{fi.Size()}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize { // it grew since Stat
		return nil, &tooLargeError{int64(len(data))}
	}
	return data, nil
}

func (s *Store) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// setAside moves a profile file that cannot be read to a name of its own,
// path.broken-<time>, with -2, -3... if that exists: a hard link made with
// O_EXCL semantics, so two broken files never share a name, then the file
// is removed from path.
func setAside(path string, t time.Time) (string, error) {
	base := fmt.Sprintf("%s.broken-%s", path, t.Format("2006-01-02_15-04-05"))
	for i := 1; i < 1000; i++ {
		aside := base
		if i > 1 {
			aside = fmt.Sprintf("%s-%d", base, i)
		}
		err := os.Link(path, aside)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		return aside, os.Remove(path)
	}
	return "", fmt.Errorf("%s-2 to -999 all exist", base)
}

// Decode parses a profile file and validates every profile.
func Decode(data []byte) ([]Profile, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("not a camdeck profile file: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not a camdeck profile file: text after the JSON")
	}
	switch {
	case f.Version == 0:
		return nil, errors.New("not a camdeck profile file: no version")
	case f.Version > FileVersion:
		return nil, fmt.Errorf("written by a later camdeck (version %d, this one reads %d)", f.Version, FileVersion)
	}
	for i := range f.Cameras {
		if f.Version == 1 && strings.EqualFold(f.Cameras[i].Transport, string(player.TransportTCP)) {
			// Most likely the old default, not a choice: the default also
			// plays over TCP, and falls back to UDP only for a camera that
			// refuses TCP, which "tcp" could never play.
			f.Cameras[i].Transport = string(player.TransportDefault)
		}
		if err := f.Cameras[i].Validate(); err != nil {
			return nil, fmt.Errorf("camera %d (%q): %w", i+1, f.Cameras[i].Name, err)
		}
	}
	return f.Cameras, nil
}

// Encode writes profiles as a profile file.
func Encode(ps []Profile) ([]byte, error) { return encode(File{Cameras: ps}) }

func encode(f File) ([]byte, error) {
	if f.Cameras == nil {
		f.Cameras = []Profile{}
	}
	f.Version = FileVersion
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return append(b, '\n'), nil
}

// migrate saves the profiles whose passwords were in clear in the file,
// now that the keyring answers, and logs each password moved.
func (s *Store) migrate(ps []Profile, clear []int) {
	if len(clear) == 0 {
		return
	}
	if err := s.Save(ps); err != nil {
		s.logf("app: moving passwords to the desktop's keyring: %v", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, i := range clear {
		if pw, ok := s.stored[ps[i].ID]; ok && pw == ps[i].Password {
			s.logf("app: camera %q: its password moved from %s to the desktop's keyring", ps[i].Name, FileName)
		}
	}
}

// Save writes the profiles atomically with mode 0600, their passwords in
// the keyring where it answers.
func (s *Store) Save(ps []Profile) error {
	path, err := s.path()
	if err != nil {
		return err
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	file := slices.Clone(ps)
	withIDs(file)
	finish := s.keepPasswords(file)
	f := File{Cameras: file}
	if s.Retention != (Retention{}) {
		r := s.Retention
		f.Retention = &r
	}
	data, err := encode(f)
	if err == nil {
		err = writeAtomic(path, data)
	}
	finish(err == nil)
	return err
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

// writeAtomic writes the profile file (or an export) mode 0600, whole or
// not at all.
func writeAtomic(path string, data []byte) error {
	err := atomicfile.Write(path, 0o600, 0o700, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("app: saving: %w", err)
	}
	return nil
}
