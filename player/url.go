package player

import (
	"net/url"
	"regexp"
	"strings"
)

// userinfoRe finds user:password@ in strings that are not clean URLs.
var userinfoRe = regexp.MustCompile(`(://[^:/@\s]*):[^@/]*@`)

// Redact returns the URL with its password replaced by ***, for logs,
// errors and window titles. The user name is kept: it helps tell cameras
// apart and is not a secret.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return userinfoRe.ReplaceAllString(raw, "$1:***@")
	}
	if _, has := u.User.Password(); !has {
		return raw
	}
	u.User = url.User(u.User.Username())
	s := u.String() // scheme://escaped-user@host...: the first @ ends the user
	at := strings.Index(s, "@")
	return s[:at] + ":***" + s[at:]
}

// RedactIn replaces every URL password in a free text, such as an error
// message from a library that quotes the URL it was given.
func RedactIn(text string) string {
	return userinfoRe.ReplaceAllString(text, "$1:***@")
}
