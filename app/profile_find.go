package app

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// ErrNoProfile is returned by Find when no profile has the name.
var ErrNoProfile = errors.New("app: no camera profile by that name")

// Find returns the profile named name (the same letters, any case, when
// no name is exactly it), with its password read from the keyring when
// the file keeps it there, as the window reads it. It changes nothing:
// no file is created, and no password moves to the keyring, so the
// headless commands may look cameras up. Its errors wrap ErrNoProfile
// (no file, or no such camera in it) or say why the file is unreadable.
func (s *Store) Find(name string) (Profile, error) {
	path, err := s.path()
	if err != nil {
		return Profile{}, err
	}
	data, err := s.read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Profile{}, fmt.Errorf("%w (%s does not exist)", ErrNoProfile, path)
	}
	if err != nil {
		return Profile{}, fmt.Errorf("app: %s: %w", path, err)
	}
	ps, err := Decode(data)
	if err != nil {
		return Profile{}, fmt.Errorf("app: %s: %w", path, err)
	}
	i := -1
	for j := range ps {
		if ps[j].Name == name {
			i = j
			break
		}
		if i < 0 && strings.EqualFold(ps[j].Name, name) {
			i = j
		}
	}
	if i < 0 {
		var names []string
		for j := range ps {
			if j == 8 {
				names = append(names, "…")
				break
			}
			names = append(names, strconv.QuoteToGraphic(ps[j].Name))
		}
		return Profile{}, fmt.Errorf("%w: %s has %s, not %s", ErrNoProfile, path, strings.Join(names, ", "),
			strconv.QuoteToGraphic(name))
	}
	found := ps[i : i+1]
	if found[0].PasswordRef != "" { // else no talk with a keyring at all
		s.readPasswords(found)
	}
	return found[0], nil
}
