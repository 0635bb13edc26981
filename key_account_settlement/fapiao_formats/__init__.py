# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The export formats of fapiao requests: one module per format, each a
declarative column map (see README, Fapiao formats) and a ``render(data)``
returning (content bytes, file extension, mimetype)."""

from . import legacy_xml, sdp_xlsx

FORMATS = {
    "sdp_xlsx": sdp_xlsx,
    "legacy_xml": legacy_xml,
}
