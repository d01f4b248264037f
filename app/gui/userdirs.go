package gui

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// userDir is one of the folders Fyne's file dialog lists as a favourite.
type userDir struct {
	asked string // the name Fyne asks xdg-user-dir for
	xdg   string // the name user-dirs.dirs defines it by
	home  string // its usual place in the home folder
}

// fileDialogDirs are the favourites of Fyne's file dialog
// (fyne.io/fyne/v2/dialog, getFavoritesOrder). Fyne asks xdg-user-dir
// for each, upper-cased; for DOWNLOADS, which user-dirs.dirs calls
// DOWNLOAD, and for any folder a machine does not define, xdg-user-dir
// answers with the home folder, and Fyne logs "this computer does not
// define a VIDEOS folder" (the last one it asked for) each time a file
// dialog opens.
var fileDialogDirs = []userDir{
	{"DESKTOP", "DESKTOP", "Desktop"},
	{"DOCUMENTS", "DOCUMENTS", "Documents"},
	{"DOWNLOADS", "DOWNLOAD", "Downloads"},
	{"MUSIC", "MUSIC", "Music"},
	{"PICTURES", "PICTURES", "Pictures"},
	{"VIDEOS", "VIDEOS", "Videos"},
}

// defineUserDirs gives xdg-user-dir an answer for each of the file
// dialog's favourites before a file dialog opens: xdg-user-dir reads
// XDG_<NAME>_DIR from the environment unless user-dirs.dirs sets it, so
// camdeck sets, in its own environment, each one the file does not: the
// file's folder under the name Fyne asks for, else the usual one (such
// as ~/Videos). The file dialog then lists the same folders, quietly.
func defineUserDirs() {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
	default:
		return // Fyne asks the system, not xdg-user-dir
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return
	}
	defined := readUserDirs(home)
	for _, d := range fileDialogDirs {
		env := "XDG_" + d.asked + "_DIR"
		if os.Getenv(env) != "" {
			continue
		}
		dir := defined[d.xdg]
		if dir == "" || filepath.Clean(dir) == filepath.Clean(home) {
			dir = filepath.Join(home, d.home)
		}
		os.Setenv(env, dir)
	}
}

// readUserDirs reads the folders that user-dirs.dirs defines, by name
// (VIDEOS for XDG_VIDEOS_DIR). The file holds shell assignments such as
// XDG_VIDEOS_DIR="$HOME/Videos"; only that form is understood, as
// xdg-user-dirs writes it.
func readUserDirs(home string) map[string]string {
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		cfg = filepath.Join(home, ".config")
	}
	dirs := map[string]string{}
	f, err := os.Open(filepath.Join(cfg, "user-dirs.dirs"))
	if err != nil {
		return dirs
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		key, val, ok := strings.Cut(line, "=")
		if !ok || !strings.HasPrefix(key, "XDG_") || !strings.HasSuffix(key, "_DIR") {
			continue
		}
		val = strings.Trim(val, `"`)
		if rest, ok := strings.CutPrefix(val, "$HOME"); ok {
			val = home + rest
		}
		if !filepath.IsAbs(val) {
			continue
		}
		dirs[strings.TrimSuffix(strings.TrimPrefix(key, "XDG_"), "_DIR")] = val
	}
	return dirs
}
