// Package locale steers Fyne's locale lookup away from the POSIX "C.UTF-8"
// locale of containers and CI machines, which Fyne cannot parse and logs as
// an error at start-up. LANGUAGE is consulted only for translations.
//
// Fyne reads the locale in a package init, so this must run first: Go
// initializes, among the packages ready at each step, the first by import
// path, and this path sorts before Fyne's locale dependency
// (github.com/jeandeaual/go-locale) while needing only os and strings.
// Import it for its side effect from the packages that import Fyne.
package locale

import (
	"os"
	"strings"
)

func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			if (l == "C" || l == "POSIX" || strings.HasPrefix(l, "C.")) && os.Getenv("LANGUAGE") == "" {
				os.Setenv("LANGUAGE", "en")
			}
			return
		}
	}
}
