#!/usr/bin/env bash
# Checks the system packages a target needs; as root it installs what is missing with apt-get,
# otherwise it says exactly what is missing and how to get it.
set -euo pipefail
what="${1:?usage: require-system.sh python|postgres|node|browser|mqtt|video}"
missing=()
case "$what" in
  python)
    command -v python3 >/dev/null || missing+=(python3)
    python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
    ;;
  postgres)
    [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
    [ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
    ;;
  node)
    # The console is built with Node 20+ and npm from the npm registry.
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
    if command -v node >/dev/null && ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
      echo "Node.js $(node --version) is too old for the console build: it needs 20.19 or newer" >&2
      exit 1
    fi
    ;;
  browser)
    # Browser tests drive Debian's Chromium; a browser a test tool downloads cannot be had here.
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    ;;
  mqtt)
    # The MQTT plate-read feed is tested against a real broker, Debian's Mosquitto.
    [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
    ;;
  video)
    # Live video is tested against real RTSP servers (GStreamer's gst-rtsp-server through the
    # system Python's gi) and a real ONVIF camera (ipycam, which runs Debian's ffmpeg).
    command -v ffmpeg >/dev/null || missing+=(ffmpeg)
    /usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer", "1.0"); from gi.repository import GstRtspServer' 2>/dev/null \
      || missing+=(python3-gi gir1.2-gst-rtsp-server-1.0)
    for plugin in x264enc rtph264pay videotestsrc avdec_h264 x265enc rtph265pay; do
      gst-inspect-1.0 "$plugin" >/dev/null 2>&1 || { missing+=(gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-tools); break; }
    done
    ;;
  *) echo "require-system.sh: unknown target $what" >&2; exit 2 ;;
esac
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing system packages: ${missing[*]}" >&2
echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
exit 1
