# Shared paths of scripts/setup and scripts/run (sourced, not executed).
CACHE=${BAMBU_DEV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bambu_cloud_dev}
ROOTFS="$CACHE/sid-rootfs"
# The virtualenv path as seen from inside the environment.
if [ "$(cat "$CACHE/mode" 2>/dev/null)" = chroot ]; then
    VENV_IN_ENV=/opt/bambu-venv
else
    VENV_IN_ENV="$CACHE/venv"
fi
