"""Constants of the Bambu Lab Cloud integration."""

from typing import Final

DOMAIN: Final = "bambu_cloud"
