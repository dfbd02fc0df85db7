# Shared paths of scripts/setup and scripts/run (sourced, not executed).
CACHE=${BAMBU_DEV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bambu_cloud_dev}
ROOTFS="$CACHE/sid-rootfs"
# The virtualenv path as seen from inside the environment.
if [ "$(cat "$CACHE/mode" 2>/dev/null)" = chroot ]; then
    VENV_IN_ENV=/opt/bambu-venv
else
    VENV_IN_ENV="$CACHE/venv"
fi
# BAMBU_HA=newest: the second virtualenv, with the newest Home Assistant
# release over the pinned test stack (requirements_newest.txt, made by
# `scripts/setup --ha newest`), and the harness's shims for it (tests/ha_compat.py).
VENV_NEWEST_IN_ENV="$VENV_IN_ENV-newest"
if [ "${BAMBU_HA:-pinned}" = newest ]; then
    VENV_IN_ENV="$VENV_NEWEST_IN_ENV"
    case " ${PYTEST_ADDOPTS:-} " in
    *" -p tests.ha_compat "*) ;;
    *) export PYTEST_ADDOPTS="-p tests.ha_compat${PYTEST_ADDOPTS:+ $PYTEST_ADDOPTS}" ;;
    esac
fi
