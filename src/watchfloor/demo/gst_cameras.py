"""Test-card cameras over RTSP for the demo and the tests: GStreamer's gst-rtsp-server, run by the
system Python (where `gi` lives), never imported by Watchfloor itself.
Usage: /usr/bin/python3 gst_cameras.py PORT [USER PASSWORD]. Prints READY when it
listens on 127.0.0.1:PORT; with USER and PASSWORD every mount needs basic authentication. Mounts:

  /live     H.264, moving ball on a blue field (a healthy camera)
  /scene    H.264, a scrolling SMPTE card (healthy, a different view: "the camera moved")
  /still    H.264, a still SMPTE card (a frozen image)
  /black    H.264, black (a covered or dark camera)
  /h265     H.265, moving ball
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

H264 = (
    "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bitrate=600 "
    "! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1"
)
H265 = "x265enc tune=zerolatency speed-preset=ultrafast key-int-max=15 ! rtph265pay name=pay0 pt=96"
RAW = "video/x-raw,width=640,height=360,framerate=15/1"
MOUNTS = {
    "/live": f"videotestsrc is-live=true pattern=ball background-color=0xff305080 ! {RAW} ! {H264}",
    "/scene": f"videotestsrc is-live=true pattern=smpte horizontal-speed=2 ! {RAW} ! {H264}",
    "/still": f"videotestsrc is-live=true pattern=smpte ! {RAW} ! {H264}",
    "/black": f"videotestsrc is-live=true pattern=black ! {RAW} ! {H264}",
    # x265 would pick 4:4:4 (the RExt profile no browser decodes); cameras send 4:2:0 Main.
    "/h265": f"videotestsrc is-live=true pattern=ball ! {RAW},format=I420 ! {H265}",
}


def _factory(launch: str, role: str | None) -> GstRtspServer.RTSPMediaFactory:
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(f"( {launch} )")
    factory.set_shared(True)
    if role is not None:
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role(role, "media.factory.access", True)
        permissions.add_permission_for_role(role, "media.factory.construct", True)
        factory.set_permissions(permissions)
    return factory


def _require_login(server: GstRtspServer.RTSPServer, user: str, password: str) -> None:
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)


def main() -> None:
    Gst.init(None)
    port = sys.argv[1]
    login = (sys.argv[2], sys.argv[3]) if len(sys.argv) > 3 else None
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    if login is not None:
        _require_login(server, *login)
    mounts = server.get_mount_points()
    for path, launch in MOUNTS.items():
        mounts.add_factory(path, _factory(launch, "viewer" if login else None))
    if server.attach(None) == 0:
        print("ATTACH FAILED", flush=True)
        sys.exit(1)
    print("READY", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
