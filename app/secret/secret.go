// Package secret keeps passwords in the desktop's keyring: the freedesktop
// Secret Service (GNOME Keyring, KWallet, KeePassXC) on the D-Bus session
// bus. It stores, looks up and deletes items of the default collection by
// their attributes, and never asks the user anything: where the keyring
// would have to show a prompt (it is locked, or has no default
// collection), it fails with ErrLocked or ErrNoCollection and the caller
// keeps the password elsewhere.
package secret

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/godbus/dbus/v5"
)

// ErrUnavailable is returned when no Secret Service answers: no session
// bus, or none on it.
var ErrUnavailable = errors.New("secret: no keyring on this desktop")

// ErrLocked is returned when the keyring is locked and only the user can
// unlock it (in a prompt camdeck does not show).
var ErrLocked = errors.New("secret: the desktop's keyring is locked")

// ErrNoCollection is returned when the keyring has no default collection;
// creating one needs a prompt.
var ErrNoCollection = errors.New("secret: the desktop's keyring has no default collection")

// ErrNotFound is returned by Lookup when no item has the attributes.
var ErrNotFound = errors.New("secret: no such item in the keyring")

// The Secret Service's names (freedesktop.org Secret Service API 0.2).
const (
	busName       = "org.freedesktop.secrets"
	servicePath   = dbus.ObjectPath("/org/freedesktop/secrets")
	defaultPath   = dbus.ObjectPath("/org/freedesktop/secrets/aliases/default")
	ifService     = "org.freedesktop.Secret.Service"
	ifCollection  = "org.freedesktop.Secret.Collection"
	ifItem        = "org.freedesktop.Secret.Item"
	ifPrompt      = "org.freedesktop.Secret.Prompt"
	ifSession     = "org.freedesktop.Secret.Session"
	noPrompt      = dbus.ObjectPath("/")
	propLabel     = ifItem + ".Label"
	propAttrs     = ifItem + ".Attributes"
	plainAlgoName = "plain" // the secret crosses only the local bus
)

// BusAddress is the session bus: $DBUS_SESSION_BUS_ADDRESS, else the
// socket $XDG_RUNTIME_DIR/bus when it exists, else "" (no bus). Unlike
// D-Bus libraries it never launches a bus of its own.
func BusAddress() string {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		return a
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		p := filepath.Join(dir, "bus")
		if fi, err := os.Stat(p); err == nil && fi.Mode().Type() == os.ModeSocket {
			return "unix:path=" + p
		}
	}
	return ""
}

// Client is an open session with the Secret Service. It is not safe for
// concurrent use.
type Client struct {
	conn    *dbus.Conn
	session dbus.ObjectPath
	ctx     context.Context
}

// Open connects to the Secret Service on the session bus at address
// (BusAddress() when empty) and opens a session with the plain algorithm.
// ctx bounds the connection's whole life: calls fail once it is done.
// Close the client when done.
func Open(ctx context.Context, address string) (*Client, error) {
	if address == "" {
		address = BusAddress()
	}
	if address == "" {
		return nil, fmt.Errorf("%w (no D-Bus session bus)", ErrUnavailable)
	}
	conn, err := dbus.Connect(address, dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("%w (D-Bus session bus: %v)", ErrUnavailable, err)
	}
	c := &Client{conn: conn, ctx: ctx}
	var out dbus.Variant
	err = c.service().CallWithContext(ctx, ifService+".OpenSession", 0, plainAlgoName, dbus.MakeVariant("")).Store(&out, &c.session)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("%w (%v)", ErrUnavailable, callError(err))
	}
	return c, nil
}

// Close ends the session and the connection.
func (c *Client) Close() error {
	c.conn.Object(busName, c.session).CallWithContext(c.ctx, ifSession+".Close", 0)
	return c.conn.Close()
}

func (c *Client) service() dbus.BusObject { return c.conn.Object(busName, servicePath) }

// wireSecret is the Secret Service's Secret struct, (oayays).
type wireSecret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

// Store keeps secret in an item of the default collection with these
// attributes and label (what the keyring's manager shows), replacing an
// item with the same attributes.
func (c *Client) Store(attrs map[string]string, label, secret string) error {
	coll, err := c.collection()
	if err != nil {
		return err
	}
	props := map[string]dbus.Variant{
		propLabel: dbus.MakeVariant(label),
		propAttrs: dbus.MakeVariant(attrs),
	}
	s := wireSecret{Session: c.session, Parameters: []byte{}, Value: []byte(secret), ContentType: "text/plain; charset=utf8"}
	var item, prompt dbus.ObjectPath
	err = coll.CallWithContext(c.ctx, ifCollection+".CreateItem", 0, props, s, true).Store(&item, &prompt)
	if err != nil {
		return fmt.Errorf("secret: storing: %v", callError(err))
	}
	if prompt != noPrompt {
		c.dismiss(prompt)
		return ErrLocked
	}
	return nil
}

// Lookup returns the secret of the item of the default collection with
// these attributes, or ErrNotFound.
func (c *Client) Lookup(attrs map[string]string) (string, error) {
	items, err := c.search(attrs)
	if err != nil {
		return "", err
	}
	if len(items) == 0 {
		return "", ErrNotFound
	}
	var s wireSecret
	err = c.conn.Object(busName, items[0]).CallWithContext(c.ctx, ifItem+".GetSecret", 0, c.session).Store(&s)
	if err != nil {
		return "", fmt.Errorf("secret: reading: %v", callError(err))
	}
	return string(s.Value), nil
}

// Delete removes every item of the default collection with these
// attributes; none is no error.
func (c *Client) Delete(attrs map[string]string) error {
	items, err := c.search(attrs)
	if err != nil {
		return err
	}
	for _, it := range items {
		var prompt dbus.ObjectPath
		if err := c.conn.Object(busName, it).CallWithContext(c.ctx, ifItem+".Delete", 0).Store(&prompt); err != nil {
			return fmt.Errorf("secret: deleting: %v", callError(err))
		}
		if prompt != noPrompt {
			c.dismiss(prompt)
			return ErrLocked
		}
	}
	return nil
}

func (c *Client) search(attrs map[string]string) ([]dbus.ObjectPath, error) {
	coll, err := c.collection()
	if err != nil {
		return nil, err
	}
	var items []dbus.ObjectPath
	if err := coll.CallWithContext(c.ctx, ifCollection+".SearchItems", 0, attrs).Store(&items); err != nil {
		return nil, fmt.Errorf("secret: searching: %v", callError(err))
	}
	return items, nil
}

// collection is the default collection, unlocked: where unlocking needs
// the user, ErrLocked.
func (c *Client) collection() (dbus.BusObject, error) {
	coll := c.conn.Object(busName, defaultPath)
	var v dbus.Variant
	err := coll.CallWithContext(c.ctx, "org.freedesktop.DBus.Properties.Get", 0, ifCollection, "Locked").Store(&v)
	if err != nil {
		if de := dbusError(err); de != nil && (strings.HasSuffix(de.Name, ".NoSuchObject") || strings.HasSuffix(de.Name, ".UnknownObject") ||
			strings.HasSuffix(de.Name, ".UnknownMethod") || strings.HasSuffix(de.Name, ".UnknownInterface")) {
			return nil, ErrNoCollection
		}
		return nil, fmt.Errorf("secret: default collection: %v", callError(err))
	}
	if locked, _ := v.Value().(bool); !locked {
		return coll, nil
	}
	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err = c.service().CallWithContext(c.ctx, ifService+".Unlock", 0, []dbus.ObjectPath{defaultPath}).Store(&unlocked, &prompt)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrLocked, callError(err))
	}
	if prompt != noPrompt {
		c.dismiss(prompt)
		return nil, ErrLocked
	}
	if len(unlocked) == 0 {
		return nil, ErrLocked
	}
	return coll, nil
}

// dismiss tells the service that the prompt it prepared will not be shown.
func (c *Client) dismiss(prompt dbus.ObjectPath) {
	c.conn.Object(busName, prompt).CallWithContext(c.ctx, ifPrompt+".Dismiss", 0)
}

// callError is a D-Bus error as one line: its name and first message.
func callError(err error) string {
	if de := dbusError(err); de != nil {
		if len(de.Body) > 0 {
			if s, ok := de.Body[0].(string); ok && s != "" {
				return fmt.Sprintf("%s: %s", de.Name, strings.ReplaceAll(s, "\n", " "))
			}
		}
		return de.Name
	}
	return err.Error()
}

// dbusError is the error a D-Bus peer replied with, or nil.
func dbusError(err error) *dbus.Error {
	var p *dbus.Error
	if errors.As(err, &p) {
		return p
	}
	var v dbus.Error
	if errors.As(err, &v) {
		return &v
	}
	return nil
}
