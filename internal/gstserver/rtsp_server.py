#!/usr/bin/python3
"""An independent RTSP server for interop tests: GStreamer's gst-rtsp-server
serving the tracks of an MP4 file on 127.0.0.1, or a raw H.264 stream
(FILE.264 or FILE.h264).

Parameter sets come from the MP4's sample entry and are sent only in the
SDP (sprop-parameter-sets), never in-band, as some cameras do.

usage: rtsp_server.py FILE.mp4 PATH VIDEO [AUDIO]
  VIDEO is h264, h265, mpeg4 or mjpeg; AUDIO is aac, pcma or pcmu and serves
  the file's audio track, which must be in that codec (a MOV file holds
  G.711 as alaw or ulaw).
Prints "READY rtsp://127.0.0.1:PORT/PATH" once it listens on a free port.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

VIDEO = {
    "h264": "h264parse config-interval=0 ! rtph264pay name=pay0 pt=96 config-interval=0",
    "h265": "h265parse config-interval=0 ! rtph265pay name=pay0 pt=96 config-interval=0",
    "mpeg4": "mpeg4videoparse ! rtpmp4vpay name=pay0 pt=96",
    "mjpeg": "jpegparse ! rtpjpegpay name=pay0 pt=26",
}

AUDIO = {
    "aac": "aacparse ! rtpmp4gpay name=pay1 pt=97",
    # 20 ms packets, RFC 3551's default and what cameras send (the
    # payloader's own default fills the MTU: 128 ms at 8 kHz).
    "pcma": "rtppcmapay name=pay1 pt=8 min-ptime=20000000 max-ptime=20000000",
    "pcmu": "rtppcmupay name=pay1 pt=0 min-ptime=20000000 max-ptime=20000000",
}


def main():
    if len(sys.argv) < 4 or sys.argv[3] not in VIDEO or (len(sys.argv) > 4 and sys.argv[4] not in AUDIO):
        sys.exit(__doc__)
    path, video = sys.argv[2], sys.argv[3]
    audio = sys.argv[4] if len(sys.argv) > 4 else None
    Gst.init(None)

    location = sys.argv[1].replace('"', '\\"')
    if sys.argv[1].endswith((".264", ".h264")):
        # A raw Annex B stream has no timestamps: gst-rtsp-server stamps
        # every packet alike, as some broken cameras do.
        launch = '( filesrc location="%s" ! %s' % (location, VIDEO[video])
    else:
        launch = '( filesrc location="%s" ! qtdemux name=d d.video_0 ! queue ! %s' % (
            location, VIDEO[video])
    if audio:
        launch += " d.audio_0 ! queue ! " + AUDIO[audio]
    launch += " )"

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service("0")
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(False)  # every reader starts at the first keyframe
    server.get_mount_points().add_factory("/" + path, factory)

    if server.attach(None) == 0:
        sys.exit("cannot listen")
    print("READY rtsp://127.0.0.1:%d/%s" % (server.get_bound_port(), path), flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
