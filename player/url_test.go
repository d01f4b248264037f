package player

import "testing"

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"rtsp://cam.local/stream", "rtsp://cam.local/stream"},
		{"rtsp://admin@cam.local/stream", "rtsp://admin@cam.local/stream"},
		{"rtsp://admin:hunter2@cam.local:554/Streaming/101", "rtsp://admin:***@cam.local:554/Streaming/101"},
		{"rtsps://a%40b:p%2Fw@10.0.0.2/x?y=1", "rtsps://a%40b:***@10.0.0.2/x?y=1"},
		{"rtsp://u:p w@bad host/", "rtsp://u:***@bad host/"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := Redact(c.in); got != c.want {
				t.Fatalf("Redact(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
	if got := RedactIn(`dial "rtsp://admin:hunter2@cam/x": refused`); got != `dial "rtsp://admin:***@cam/x": refused` {
		t.Fatalf("RedactIn: %q", got)
	}
}
