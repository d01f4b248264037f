package democam

import (
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
)

// SDP describes the clip as a raw RTP camera: H.264 in payload type 96,
// sent to port on 127.0.0.1, with the parameter sets in the description
// when params is true (some cameras send them only in-band). The
// raw-RTP tests of the player, the recorder and `camdeck record` read it.
func (c *Clip) SDP(port int, params bool) string {
	fmtp := "packetization-mode=1"
	if params {
		f := &format.H264{PayloadTyp: 96, PacketizationMode: 1, SPS: c.SPS, PPS: c.PPS}
		fmtp += "; sprop-parameter-sets=" + f.FMTP()["sprop-parameter-sets"]
	}
	return fmt.Sprintf("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=camdeck\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"+
		"m=video %d RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 %s\r\n", port, fmtp)
}
