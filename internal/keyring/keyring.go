// Package keyring starts a private freedesktop Secret Service for tests:
// a D-Bus session bus of its own (dbus-daemon) and GNOME Keyring's secrets
// component on it, with a keyring in a temporary folder, unlocked with a
// known password. Nothing of the user's desktop session is touched: the
// bus activates no services, and both processes are stopped, by their
// PIDs, when the test ends.
package keyring

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// startTimeout bounds the start of the bus and of the keyring daemon: both
// are up in well under a second on an idle machine.
const startTimeout = 30 * time.Second

// busConfig is a session bus that activates nothing (no servicedir), so a
// call to a missing service fails instead of starting one.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// Bus is a private session bus.
type Bus struct {
	// Address is the bus's D-Bus address, for DBUS_SESSION_BUS_ADDRESS.
	Address string
	dir     string
}

// NewBus starts a session bus with no services on it; it is stopped when
// the test ends. It skips the test when dbus-daemon is not installed
// (make deps installs it).
func NewBus(t testing.TB) *Bus {
	t.Helper()
	daemon := lookPath(t, "dbus-daemon", "dbus-daemon")
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, busConfig, filepath.Join(dir, "bus")), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	cmd.Stderr = new(strings.Builder)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop(t, cmd, "dbus-daemon")
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			t.Fatal("keyring: dbus-daemon printed no address")
		}
		return &Bus{Address: a, dir: dir}
	case <-time.After(startTimeout):
		t.Fatalf("keyring: dbus-daemon did not start within %v", startTimeout)
	}
	return nil
}

// Password unlocks the test keyring.
const Password = "camdeck-test"

// Start starts a bus and GNOME Keyring's Secret Service on it, with a new
// login keyring (the default collection) unlocked, and returns the bus.
// Both stop when the test ends. It skips the test when gnome-keyring or
// dbus-daemon is not installed (make deps installs them).
func Start(t testing.TB) *Bus {
	t.Helper()
	gk := lookPath(t, "gnome-keyring-daemon", "gnome-keyring")
	b := NewBus(t)
	home := filepath.Join(b.dir, "home")
	run := filepath.Join(b.dir, "run")
	for _, d := range []string{home, run} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(gk, "--foreground", "--unlock", "--components=secrets")
	cmd.Stderr = new(strings.Builder)
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+b.Address, "HOME="+home,
		"XDG_DATA_HOME="+filepath.Join(home, "data"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_RUNTIME_DIR="+run)
	cmd.Stdin = strings.NewReader(Password) // --unlock reads it, without a newline
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop(t, cmd, "gnome-keyring-daemon")
	b.waitOwner(t, "org.freedesktop.secrets")
	return b
}

// waitOwner waits until a process owns name on the bus.
func (b *Bus) waitOwner(t testing.TB, name string) {
	t.Helper()
	conn := b.Conn(t)
	deadline := time.Now().Add(startTimeout)
	for {
		var has bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
		if err == nil && has {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("keyring: nobody owns %s after %v (%v)", name, startTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Conn is a connection to the bus, closed when the test ends.
func (b *Bus) Conn(t testing.TB) *dbus.Conn {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	conn, err := dbus.Connect(b.Address, dbus.WithContext(ctx))
	if err != nil {
		t.Fatalf("keyring: connecting to the test bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Lock locks the default collection, as a screen locker or the user may.
func (b *Bus) Lock(t testing.TB) {
	t.Helper()
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := b.Conn(t).Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{"/org/freedesktop/secrets/aliases/default"}).
		Store(&locked, &prompt)
	if err != nil || len(locked) != 1 {
		t.Fatalf("keyring: locking: %v (locked %v, prompt %v)", err, locked, prompt)
	}
}

// lookPath finds a program, or skips the test naming the Debian package.
func lookPath(t testing.TB, prog, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(prog)
	if err != nil {
		t.Skipf("%s is not installed (Debian package %s; make deps installs it)", prog, pkg)
	}
	return p
}

// stop kills the process when the test ends and reaps it; what it wrote
// on stderr is logged if the test failed (it is noisy: dbus-daemon
// complains of the fd limit, gnome-keyring of items it registers twice).
func stop(t testing.TB, cmd *exec.Cmd, name string) {
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s (pid %d) stderr:\n%s", name, cmd.Process.Pid, cmd.Stderr)
		}
	})
}
