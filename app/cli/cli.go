// Package cli is camdeck's headless front end: record, snapshot, probe and
// serve run the same engine as the window, for servers and scripts.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/camdeck/camdeck/player"
)

// command is one subcommand.
type command struct {
	usage string // arguments, after the command name
	help  string // one line
	run   func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]command{}

// Env is where a command reads and writes: the process's standard streams
// in main, buffers in tests.
type Env struct {
	Stdout, Stderr io.Writer
}

// errUsage asks Main to exit 2 after the command printed its usage.
var errUsage = errors.New("usage")

// errReported asks Main to exit 1 after the command printed why.
var errReported = errors.New("failed")

// usageError is bad usage told in one line; Main prints it and exits 2.
type usageError struct{ msg string }

func (e usageError) Error() string        { return e.msg }
func (e usageError) Is(target error) bool { return target == errUsage }

func usageErrorf(format string, a ...any) error {
	return usageError{fmt.Sprintf(format, a...)}
}

// IsCommand tells whether name is a subcommand (so main runs headless).
func IsCommand(name string) bool {
	_, ok := commands[name]
	return ok || name == "help" || name == "-h" || name == "--help"
}

// Main runs a subcommand and returns the process exit code: 0 on success,
// 1 on failure (one line on stderr), 2 on bad usage. SIGINT and SIGTERM
// cancel the command's context so it can finish its files cleanly.
func Main(args []string, env *Env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(env.Stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "camdeck: unknown command %q\n", args[0])
		printUsage(env.Stderr)
		return 2
	}
	// The engine's log lines (player:, recorder:) look like every other
	// line on stderr: no timestamp of their own.
	log.SetFlags(0)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := cmd.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(env.Stderr, "camdeck %s: %s\n", args[0], oneLine(err))
		}
		return 2
	case errors.Is(err, errReported):
		return 1
	default:
		fmt.Fprintf(env.Stderr, "camdeck %s: %s\n", args[0], oneLine(err))
		return 1
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "camdeck: watch and record IP cameras.")
	fmt.Fprintln(w, "\nWith no command, camdeck opens its window. Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].help)
	}
	fmt.Fprintln(w, "\nRun camdeck COMMAND -h for its options.")
}

// oneLine keeps error messages to a single line, with the control
// characters a camera or a file name may hold escaped.
func oneLine(err error) string {
	return player.Escape(strings.Join(strings.Fields(err.Error()), " "))
}

// newFlags makes a flag set whose usage names the command.
func newFlags(env *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		c := commands[name]
		fmt.Fprintf(env.Stderr, "usage: camdeck %s %s\n%s\n\noptions:\n", name, c.usage, c.help)
		fs.PrintDefaults()
	}
	return fs
}

// flagError is a bad option that the flag package has printed already,
// with the usage: Main exits 2 and does not print it again.
type flagError struct{ err error }

func (e flagError) Error() string        { return e.err.Error() }
func (e flagError) Unwrap() error        { return e.err }
func (e flagError) Is(target error) bool { return target == errUsage }

// parse parses flags that may come before, between or after the positional
// arguments, and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
