package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camdeck/camdeck/app/secret"
	"github.com/camdeck/camdeck/internal/keyring"
	"github.com/camdeck/camdeck/internal/reexec"
)

func TestMain(m *testing.M) {
	reexec.Main(loadMain)
	os.Exit(m.Run())
}

// loadMain is a camdeck of its own that loads a profile file with the
// keyring on the bus args[1] and prints, for each camera, its name,
// whether its password is $WANT_PASSWORD and where it is kept.
func loadMain(args []string) int {
	s := &Store{Path: args[0], Keyring: &Keyring{Address: args[1]}, Logf: func(string, ...any) {}}
	ps, err := s.Load()
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	for _, p := range ps {
		fmt.Printf("%s: same=%t: %s\n", p.Name, p.Password == os.Getenv("WANT_PASSWORD"), s.PasswordNote(p.ID))
	}
	return 0
}

// logs collects what a Store logs.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(f string, a ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(f, a...))
	l.mu.Unlock()
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// keyringPassword is what users type: / @ : % and unicode.
const keyringPassword = "Top/Secret9@x:%ü"

func keyringProfiles() []Profile {
	return []Profile{{ID: "aaaa", Name: "Porch", URL: "rtsp://10.0.0.7/main", User: "admin", Password: keyringPassword}}
}

// lookup reads a profile's password straight from the keyring.
func lookup(t *testing.T, addr, id string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := secret.Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.Lookup(keyringAttrs(id))
}

// checkFile fails if the profile file holds the password, or is not mode
// 0600, or lacks want.
func checkFile(t *testing.T, path, want string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "Secret9") {
		t.Fatalf("the profile file holds the password:\n%s", data)
	}
	if !strings.Contains(string(data), want) {
		t.Fatalf("the profile file lacks %s:\n%s", want, data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
}

// TestStoreKeyring against GNOME Keyring on a private bus: the password
// goes to the keyring and the file keeps only a reference; another
// process loads it back; clearing the password or removing the camera
// deletes its item.
func TestStoreKeyring(t *testing.T) {
	b := keyring.Start(t)
	var log logs
	s := &Store{Path: filepath.Join(t.TempDir(), "camdeck", FileName), Keyring: &Keyring{Address: b.Address}, Logf: log.logf}
	ps := append(keyringProfiles(), Profile{ID: "bbbb", Name: "Gate", URL: "rtsp://10.0.0.8/main", Password: "other"})
	if err := s.Save(ps); err != nil {
		t.Fatal(err)
	}
	checkFile(t, s.Path, `"password_ref": "secret-service"`)
	if got := s.PasswordNote("aaaa"); got != NoteKeyring {
		t.Fatalf("note %q", got)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := reexec.Command(ctx, s.Path, b.Address)
	cmd.Env = append(cmd.Env, "WANT_PASSWORD="+keyringPassword)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Porch: same=true: "+NoteKeyring+"\n") {
		t.Fatalf("another process loading the file: %v\n%s", err, out)
	}

	ps[0].Password = ""
	if err := s.Save(ps); err != nil {
		t.Fatal(err)
	}
	if _, err := lookup(t, b.Address, "aaaa"); !errors.Is(err, secret.ErrNotFound) {
		t.Fatalf("a cleared password is still in the keyring: %v", err)
	}
	if err := s.Save(ps[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := lookup(t, b.Address, "bbbb"); !errors.Is(err, secret.ErrNotFound) {
		t.Fatalf("a removed camera's password is still in the keyring: %v", err)
	}
	if strings.Contains(log.String(), "Secret9") {
		t.Fatalf("the log holds the password:\n%s", log.String())
	}
}

// TestStoreKeyringFallback: with no bus where DBUS_SESSION_BUS_ADDRESS
// points, the password is kept in the file (mode 0600) and read back, and
// the note says so.
func TestStoreKeyringFallback(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(dir, "nothing"))
	s := &Store{Path: filepath.Join(dir, FileName), Keyring: &Keyring{}, Logf: t.Logf}
	if err := s.Save(keyringProfiles()); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(s.Path)
	if !strings.Contains(string(data), `"password": "Top/Secret9@x:%ü"`) || strings.Contains(string(data), "password_ref") {
		t.Fatalf("the file does not hold the password:\n%s", data)
	}
	if fi, _ := os.Stat(s.Path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
	want := "password kept in camdeck's profile file: no keyring on this desktop"
	if got := s.PasswordNote("aaaa"); got != want {
		t.Fatalf("note %q, want %q", got, want)
	}
	s2 := &Store{Path: s.Path, Keyring: &Keyring{}, Logf: t.Logf}
	ps, err := s2.Load()
	if err != nil || len(ps) != 1 || ps[0].Password != keyringPassword {
		t.Fatalf("loaded %d profiles, %v; password read back: %t", len(ps), err, err == nil && ps[0].Password == keyringPassword)
	}
	if got := s2.PasswordNote("aaaa"); got != want {
		t.Fatalf("note after load %q, want %q", got, want)
	}
}

// TestStoreKeyringMigration: a password in clear in the file moves to the
// keyring on load, and the log says so.
func TestStoreKeyringMigration(t *testing.T) {
	b := keyring.Start(t)
	path := filepath.Join(t.TempDir(), FileName)
	if err := (&Store{Path: path}).Save(keyringProfiles()); err != nil { // no keyring
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), "Secret9") {
		t.Fatalf("the password is not in clear to begin with:\n%s", data)
	}
	var log logs
	s := &Store{Path: path, Keyring: &Keyring{Address: b.Address}, Logf: log.logf}
	ps, err := s.Load()
	if err != nil || ps[0].Password != keyringPassword {
		t.Fatalf("load: %v", err)
	}
	checkFile(t, path, `"password_ref": "secret-service"`)
	if got, err := lookup(t, b.Address, "aaaa"); err != nil || got != keyringPassword {
		t.Fatalf("in the keyring: %v (the right password: %t)", err, got == keyringPassword)
	}
	if want := `app: camera "Porch": its password moved from profiles.json to the desktop's keyring`; log.String() != want {
		t.Fatalf("log %q, want %q", log.String(), want)
	}
	if ps, err := (&Store{Path: path, Keyring: &Keyring{Address: b.Address}}).Load(); err != nil || ps[0].Password != keyringPassword {
		t.Fatalf("loading again: %v", err)
	}
}

// TestStoreKeyringLocked: a password in a locked keyring is not lost: it
// loads empty, the note tells why, and saving keeps the reference.
func TestStoreKeyringLocked(t *testing.T) {
	b := keyring.Start(t)
	path := filepath.Join(t.TempDir(), FileName)
	if err := (&Store{Path: path, Keyring: &Keyring{Address: b.Address}}).Save(keyringProfiles()); err != nil {
		t.Fatal(err)
	}
	b.Lock(t)
	var log logs
	s := &Store{Path: path, Keyring: &Keyring{Address: b.Address}, Logf: log.logf}
	ps, err := s.Load()
	if err != nil || ps[0].Password != "" {
		t.Fatalf("load: %v", err)
	}
	want := NoteKeyring + ", which cannot be read now: the desktop's keyring is locked"
	if got := s.PasswordNote("aaaa"); got != want {
		t.Fatalf("note %q, want %q", got, want)
	}
	if !strings.Contains(log.String(), `camera "Porch": its password is in the desktop's keyring, which cannot be read now (the desktop's keyring is locked)`) {
		t.Fatalf("log %q", log.String())
	}
	if err := s.Save(ps); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, `"password_ref": "secret-service"`)
}
