package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/camdeck/camdeck/app/secret"
)

// RefSecretService is the PasswordRef of a password kept in the desktop's
// keyring (the freedesktop Secret Service).
const RefSecretService = "secret-service"

// Keyring is the desktop's keyring as a Store uses it: the freedesktop
// Secret Service on the D-Bus session bus. Each password is an item of the
// default collection with the attributes application=camdeck and
// profile=<the profile's ID>.
type Keyring struct {
	// Address is the D-Bus session bus.
	// It defaults to secret.BusAddress(): $DBUS_SESSION_BUS_ADDRESS.
	Address string
}

// keyringTimeout bounds one Load's or Save's talk with the keyring: GNOME
// Keyring answers in milliseconds, and starting it by D-Bus activation on
// first use takes a second or two; a keyring that does not answer must not
// hold the window's start for long.
const keyringTimeout = 10 * time.Second

// The editor's notes on where a password is kept.
const (
	NoteKeyring = "password kept in the desktop's keyring"
	NoteFile    = "password kept in camdeck's profile file"
)

// NewProfileID is a new random profile ID: 32 hex digits.
func NewProfileID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// withIDs gives an ID to every profile without one, and a new one to a
// profile whose ID an earlier one has (an import of the same file twice),
// so no two share a keyring item.
func withIDs(ps []Profile) {
	seen := make(map[string]bool, len(ps))
	for i := range ps {
		if ps[i].ID == "" || seen[ps[i].ID] {
			ps[i].ID = NewProfileID()
		}
		seen[ps[i].ID] = true
	}
}

func keyringAttrs(id string) map[string]string {
	return map[string]string{"application": "camdeck", "profile": id}
}

func keyringLabel(p *Profile) string { return "camdeck: " + p.Name }

// openKeyring opens the keyring if the store has one; it notes whether it
// answered, for PasswordNote. The caller closes the client and cancels.
func (s *Store) openKeyring() (*secret.Client, context.CancelFunc, error) {
	if s.Keyring == nil {
		return nil, func() {}, fmt.Errorf("%w (camdeck does not use it here)", secret.ErrUnavailable)
	}
	ctx, cancel := context.WithTimeout(context.Background(), keyringTimeout)
	c, err := secret.Open(ctx, s.Keyring.Address)
	s.noteKeyring(err)
	if err != nil {
		cancel()
		return nil, func() {}, err
	}
	return c, func() { c.Close(); cancel() }, nil
}

func (s *Store) noteKeyring(err error) {
	s.mu.Lock()
	s.keyringErr, s.keyringTried = err, true
	s.mu.Unlock()
}

// PasswordNote says where the password of the profile with this ID is
// kept, or would be kept when saved, for the editor: the desktop's
// keyring, or camdeck's profile file and why.
func (s *Store) PasswordNote(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err, ok := s.unread[id]; ok {
		return NoteKeyring + ", which cannot be read now: " + reason(err)
	}
	if s.Keyring != nil && s.keyringTried && s.keyringErr == nil {
		return NoteKeyring
	}
	if s.keyringErr == nil || errors.Is(s.keyringErr, secret.ErrUnavailable) {
		return NoteFile + ": no keyring on this desktop"
	}
	return NoteFile + ": " + reason(s.keyringErr)
}

// reason is a keyring error as the editor says it.
func reason(err error) string {
	switch {
	case errors.Is(err, secret.ErrLocked):
		return "the desktop's keyring is locked"
	case errors.Is(err, secret.ErrNoCollection):
		return "the desktop's keyring has no default collection"
	case errors.Is(err, secret.ErrUnavailable):
		return "no keyring on this desktop"
	}
	return err.Error()
}

// readPasswords fills in the passwords the file keeps in the keyring
// and tells which clear passwords are to move there (the keyring
// answered).
func (s *Store) readPasswords(ps []Profile) (migrate []int) {
	hasRef := false
	for i := range ps {
		hasRef = hasRef || ps[i].PasswordRef != ""
	}
	if s.Keyring == nil && !hasRef {
		return nil
	}
	kr, done, kerr := s.openKeyring()
	defer done()
	stored, unread := map[string]string{}, map[string]error{}
	for i := range ps {
		p := &ps[i]
		ref := p.PasswordRef
		p.PasswordRef = ""
		switch {
		case p.Password != "":
			if kr != nil {
				migrate = append(migrate, i) // a clear password wins over a reference
			}
		case ref == "":
		case ref != RefSecretService:
			unread[p.ID] = fmt.Errorf("unknown password_ref %q", ref)
		case kr == nil:
			unread[p.ID] = kerr
		default:
			pw, err := kr.Lookup(keyringAttrs(p.ID))
			switch {
			case err == nil:
				p.Password, stored[p.ID] = pw, pw
			case errors.Is(err, secret.ErrNotFound):
				s.logf("app: camera %q: its password is no longer in the desktop's keyring", p.Name)
			default:
				unread[p.ID] = err
			}
		}
		if err, ok := unread[p.ID]; ok {
			s.logf("app: camera %q: its password is in the desktop's keyring, which cannot be read now (%s); it connects without one", p.Name, reason(err))
		}
	}
	s.mu.Lock()
	s.stored, s.unread = stored, unread
	s.mu.Unlock()
	return migrate
}

// keepPasswords moves the passwords of the file's profiles to the keyring
// where it answers, leaving PasswordRef in their place, and deletes the
// items of the passwords gone (a profile removed, a password cleared).
// What the keyring refuses stays in the file, mode 0600, and is logged.
// finish is called once the file is written, or failed to be.
func (s *Store) keepPasswords(file []Profile) (finish func(written bool)) {
	s.mu.Lock()
	prevStored, unread := s.stored, s.unread
	s.mu.Unlock()
	kr, done, _ := s.openKeyring()
	stored := map[string]string{}
	keepUnread := map[string]error{}
	for i := range file {
		p := &file[i]
		p.PasswordRef = ""
		switch {
		case p.Password != "" && kr != nil:
			if prev, ok := prevStored[p.ID]; !ok || prev != p.Password {
				if err := kr.Store(keyringAttrs(p.ID), keyringLabel(p), p.Password); err != nil {
					s.noteKeyring(err)
					s.logf("app: camera %q: the password stays in %s: %s", p.Name, FileName, reason(err))
					continue
				}
			}
			stored[p.ID] = p.Password
			p.Password, p.PasswordRef = "", RefSecretService
		case p.Password == "" && unread[p.ID] != nil:
			p.PasswordRef = RefSecretService // there still, unread
			keepUnread[p.ID] = unread[p.ID]
		}
	}
	return func(written bool) {
		defer done()
		if !written {
			return
		}
		if kr != nil {
			for id := range prevStored {
				if _, ok := stored[id]; ok {
					continue
				}
				if err := kr.Delete(keyringAttrs(id)); err != nil {
					s.logf("app: a password removed from camdeck stays in the desktop's keyring: %s", reason(err))
				}
			}
		}
		s.mu.Lock()
		s.stored, s.unread = stored, keepUnread
		s.mu.Unlock()
	}
}
