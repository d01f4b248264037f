package app

import (
	"testing"

	"github.com/camdeck/camdeck/player"
)

// TestTransportDefault: new profiles leave the transport to the player
// (TCP, then UDP if the camera refuses TCP); a version 1 file's "tcp" was
// written for every camera whose user never chose, so it reads as the
// default; a "tcp" written now is the user's choice and stays.
func TestTransportDefault(t *testing.T) {
	if tr := DemoProfile().Transport; tr != string(player.TransportDefault) {
		t.Fatalf("the demo profile's transport is %q, want the default", tr)
	}
	v1 := `{"version": 1, "cameras": [
		{"name": "a", "url": "rtsp://10.0.0.1/", "transport": "tcp"},
		{"name": "b", "url": "rtsp://10.0.0.2/", "transport": "udp"},
		{"name": "c", "url": "rtsp://10.0.0.3/"}]}`
	ps, err := Decode([]byte(v1))
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{ps[0].Transport, ps[1].Transport, ps[2].Transport}; got[0] != "" || got[1] != "udp" || got[2] != "" {
		t.Fatalf("version 1 transports read as %q, want [\"\" udp \"\"]", got)
	}
	ps[0].Transport = "tcp" // chosen in this version's editor
	data, err := Encode(ps)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if again[0].Transport != "tcp" || again[1].Transport != "udp" || again[2].Transport != "" {
		t.Fatalf("transports after a round trip: %q %q %q, want tcp udp \"\"",
			again[0].Transport, again[1].Transport, again[2].Transport)
	}
}
