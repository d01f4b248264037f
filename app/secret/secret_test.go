package secret

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/camdeck/camdeck/internal/keyring"
)

func open(t *testing.T, addr string) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	c, err := Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestStoreLookupDelete against GNOME Keyring: an item is found by its
// attributes from another connection, replaced in place, told from an
// item with other attributes, and gone once deleted. Passwords hold what
// users type: unicode, quotes, a NUL.
func TestStoreLookupDelete(t *testing.T) {
	b := keyring.Start(t)
	a := map[string]string{"application": "camdeck-test", "profile": "p1"}
	other := map[string]string{"application": "camdeck-test", "profile": "p2"}
	const pw1, pw2 = "Tôp/S3cret@:%\"'\x00ü", "second"

	c := open(t, b.Address)
	if _, err := c.Lookup(a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("lookup before storing: %v, want ErrNotFound", err)
	}
	if err := c.Store(a, "camdeck: cam 1", pw1); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(other, "camdeck: cam 2", pw2); err != nil {
		t.Fatal(err)
	}
	c2 := open(t, b.Address)
	if got, err := c2.Lookup(a); err != nil || got != pw1 {
		t.Fatalf("lookup from a new connection: %q, %v", got, err)
	}
	if err := c2.Store(a, "camdeck: cam 1", "replaced"); err != nil {
		t.Fatal(err)
	}
	if items, err := c2.search(a); err != nil || len(items) != 1 {
		t.Fatalf("after replacing: %d items, %v; want 1", len(items), err)
	}
	if got, _ := c.Lookup(a); got != "replaced" {
		t.Fatalf("after replacing: %q", got)
	}
	if err := c.Delete(a); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Lookup(a); !errors.Is(err, ErrNotFound) {
		t.Fatalf("lookup after delete: %v, want ErrNotFound", err)
	}
	if got, err := c2.Lookup(other); err != nil || got != pw2 {
		t.Fatalf("the other item after delete: %q, %v", got, err)
	}
	if err := c.Delete(a); err != nil {
		t.Fatalf("deleting nothing: %v", err)
	}
}

// TestLocked: a locked keyring is not unlocked behind the user's back:
// Store and Lookup fail with ErrLocked (the prompt is dismissed, not
// shown).
func TestLocked(t *testing.T) {
	b := keyring.Start(t)
	a := map[string]string{"application": "camdeck-test", "profile": "p1"}
	c := open(t, b.Address)
	if err := c.Store(a, "camdeck: cam", "pw"); err != nil {
		t.Fatal(err)
	}
	b.Lock(t)
	if err := c.Store(a, "camdeck: cam", "pw2"); !errors.Is(err, ErrLocked) {
		t.Fatalf("store in a locked keyring: %v, want ErrLocked", err)
	}
	if _, err := c.Lookup(a); !errors.Is(err, ErrLocked) {
		t.Fatalf("lookup in a locked keyring: %v, want ErrLocked", err)
	}
}

// TestUnavailable: no bus, a bus without a Secret Service: ErrUnavailable,
// at once.
func TestUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := Open(ctx, "unix:path="+t.TempDir()+"/no-bus"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("no bus: %v, want ErrUnavailable", err)
	}
	b := keyring.NewBus(t)
	if _, err := Open(ctx, b.Address); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("a bus without a Secret Service: %v, want ErrUnavailable", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if _, err := Open(ctx, ""); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("no address: %v, want ErrUnavailable", err)
	}
}
