package player

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// userinfoRe finds scheme://user:password@ in free text (a user name may
// hold a /, so the first : after :// starts the password). The password runs
// to the last @ of its word, so one holding @ is hidden whole; one holding
// a space or a quote cannot be told from the text around it, which is why
// a session also removes the passwords it knows (Session.redact).
var userinfoRe = regexp.MustCompile(`(://[^:\s"'<>]*):[^\s"'<>]*@`)

// userinfoEnd returns where the user info of a URL-like string ends (the
// index of its last @) and where it starts (after "://", or 0 when there
// is no scheme), or ok false when the string has none. The last @, not the
// first, ends it: a password may hold @, /, : or ? that a URL parser would
// take for the end of the host, and a name derived from the string must
// lose all of it.
func userinfoEnd(raw string) (start, end int, ok bool) {
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + len("://")
	}
	end = strings.LastIndex(raw, "@")
	if end < start {
		return 0, 0, false
	}
	return start, end, true
}

// Redact returns the URL with its password replaced by ***, for logs,
// errors and window titles. The user name is kept: it helps tell cameras
// apart and is not a secret. It holds for any string typed where a URL
// goes, parseable or not: everything between the first : after the
// scheme and the last @ is taken for the password.
func Redact(raw string) string {
	start, end, ok := userinfoEnd(raw)
	if !ok {
		return raw
	}
	colon := strings.Index(raw[start:end], ":")
	if colon < 0 {
		return raw // a user name alone
	}
	return raw[:start+colon] + ":***" + raw[end:]
}

// StripUserinfo returns the URL without its user name and password: what
// a camera name or a file name may be derived from.
func StripUserinfo(raw string) string {
	rest, _, _ := SplitUserinfo(raw)
	return rest
}

// SplitUserinfo separates the user info from a URL-like string, found as
// Redact finds it: it returns the string without it, and the user name and
// password, percent-decoded where they are valid escapes (so a password
// typed with a raw / or @ is kept as typed).
func SplitUserinfo(raw string) (rest, user, pass string) {
	start, end, ok := userinfoEnd(raw)
	if !ok {
		return raw, "", ""
	}
	user, pass, _ = strings.Cut(raw[start:end], ":")
	if u, err := url.PathUnescape(user); err == nil {
		user = u
	}
	if p, err := url.PathUnescape(pass); err == nil {
		pass = p
	}
	return raw[:start] + raw[end+1:], user, pass
}

// RedactIn replaces every URL password in a free text, such as an error
// message from a library that quotes the URL it was given.
func RedactIn(text string) string {
	return userinfoRe.ReplaceAllString(text, "$1:***@")
}

// redactSecret removes a known password from a text, as typed and as a URL
// escapes it, for the messages RedactIn cannot parse (a password with a
// space or a quote).
func redactSecret(text, pass string) string {
	if pass == "" {
		return text
	}
	userinfo := strings.TrimPrefix(url.UserPassword("", pass).String(), ":")
	for _, p := range []string{pass, userinfo, url.QueryEscape(pass), url.PathEscape(pass)} {
		text = strings.ReplaceAll(text, p, "***")
	}
	return text
}

// AddressKind is what a stream address names.
type AddressKind int

// The kinds of stream address.
const (
	AddressRTSP AddressKind = iota + 1 // rtsp:// or rtsps://
	AddressSDP                         // an SDP file describing raw RTP
)

// Address is a stream address as ParseAddress read it.
type Address struct {
	Kind AddressKind
	URL  *url.URL // for AddressRTSP
	Path string   // for AddressSDP
}

// ParseAddress tells what a stream address names: an rtsp:// or rtsps://
// URL with a host, or the path of an .sdp file (plain or file://). It is
// the one place that decides, for sessions and for the profile editor.
// Its errors say why in one line and hold no password.
func ParseAddress(raw string) (Address, error) {
	raw = strings.TrimSpace(raw)
	lower := strings.ToLower(raw)
	switch {
	case raw == "":
		return Address{}, errors.New("empty")
	case strings.HasPrefix(lower, "file://") && strings.HasSuffix(lower, ".sdp"):
		return Address{Kind: AddressSDP, Path: raw[len("file://"):]}, nil
	case strings.HasSuffix(lower, ".sdp") && !strings.Contains(lower, "://"):
		return Address{Kind: AddressSDP, Path: raw}, nil
	case !strings.HasPrefix(lower, "rtsp://") && !strings.HasPrefix(lower, "rtsps://"):
		return Address{}, errors.New("use rtsp://host/path, rtsps://host/path or an .sdp file")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Address{}, errors.New("cannot parse " + Redact(raw))
	}
	if u.Hostname() == "" {
		return Address{}, errors.New("no host in " + Redact(raw))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return Address{Kind: AddressRTSP, URL: u}, nil
}
