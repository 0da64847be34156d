#!/usr/bin/env bash
# CI: builds the Debian package from build/, installs it on this machine, starts the service and
# reads /health, then stops it in order. Needs root (or sudo) and an existing build/.
#
# Where systemd is PID 1 the unit is started with systemctl. Elsewhere (containers, most CI
# runners) there is no service manager to ask, so the installed binary is started the way the
# unit starts it: as the `tascade` user, in /var/lib/tascade, with the unit's environment and
# /etc/default/tascade. The script says which of the two it did.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
PORT=${TASCADE_PACKAGE_PORT:-18010}

cmake --build build --target package
DEB=$(ls -t build/tascade_*.deb | head -1)
echo "package: $DEB ($(du -h "$DEB" | cut -f1))"
dpkg-deb --contents "$DEB" | awk '{print $6}' | grep -E 'bin/tascade|tascade.service|default/tascade|doc/tascade/README.md'
for f in ./usr/bin/tascaded ./usr/bin/tascade ./usr/lib/systemd/system/tascade.service \
         ./etc/default/tascade ./usr/share/doc/tascade/README.md; do
  dpkg-deb --contents "$DEB" | awk '{print $6}' | grep -qx "$f" || { echo "the package lacks $f"; exit 1; }
done
$SUDO apt-get install -y --allow-downgrades "./$DEB" >/dev/null
getent passwd tascade >/dev/null || { echo "the package made no tascade user"; exit 1; }
[ "$(stat -c %U /var/lib/tascade)" = tascade ] || { echo "/var/lib/tascade is not tascade's"; exit 1; }

health() {
  for _ in $(seq 1 200); do
    if body=$(curl -sf "http://127.0.0.1:$PORT/health"); then echo "/health: $body"; return 0; fi
    sleep 0.1
  done
  echo "no answer on /health"; return 1
}

if [ "$(ps -p 1 -o comm=)" = systemd ]; then
  echo "systemd is PID 1: starting tascade.service"
  $SUDO sh -c "echo TASCADE_PORT=$PORT >> /etc/default/tascade"
  $SUDO systemctl restart tascade.service
  health
  [ "$(systemctl show -p User --value tascade.service)" = tascade ]
  $SUDO systemctl stop tascade.service
else
  echo "systemd is not PID 1 here ($(ps -p 1 -o comm=)): starting /usr/bin/tascaded as the tascade" \
       "user the way tascade.service does (User=tascade, WorkingDirectory=/var/lib/tascade," \
       "TASCADE_DATA_DIR=/var/lib/tascade/data, EnvironmentFile=/etc/default/tascade)"
  LOG=$(mktemp)
  FRESH=yes; [ -d /var/lib/tascade/data ] && FRESH=no
  # shellcheck disable=SC2046
  $SUDO runuser -u tascade -- env -C /var/lib/tascade TASCADE_DATA_DIR=/var/lib/tascade/data \
    $(grep -E '^TASCADE_[A-Z_]+=' /etc/default/tascade) TASCADE_PORT="$PORT" \
    /usr/bin/tascaded >"$LOG" 2>&1 &
  health || { cat "$LOG"; exit 1; }
  PID=$(pgrep -u tascade -x tascaded)
  [ "$(ps -o user= -p "$PID")" = tascade ] || { echo "tascaded is not running as tascade"; exit 1; }
  $SUDO kill -TERM "$PID"
  for _ in $(seq 1 300); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$PID" 2>/dev/null; then echo "tascaded did not stop after SIGTERM"; cat "$LOG"; exit 1; fi
  if [ $FRESH = yes ] && ! grep -q "admin key (shown once" "$LOG"; then
    echo "no admin key printed on the first start"; cat "$LOG"; exit 1
  fi
  rm -f "$LOG"
fi
[ -d /var/lib/tascade/data ] && echo "data under /var/lib/tascade/data: $(du -sh /var/lib/tascade/data | cut -f1)"
echo "package check passed"
