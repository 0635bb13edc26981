# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Tracking status from a file: the courier's (or aggregator's) status
export, read through the same engine as the webhook
(``key.account.parcel._key_account_ingest_events``, source ``file``)."""

import pytz

from odoo import api, models
from odoo.exceptions import UserError

from .key_account_carrier_column import normalise_header
from .key_account_parcel_tracking import parse_event_time

# Headers of a status file, Chinese and English, normalised as on import.
STATUS_FILE_HEADERS = {
    "number": ("运单号", "快递单号", "运单编号", "waybillnumber", "waybill", "number"),
    "status": ("状态", "物流状态", "快件状态", "status", "state"),
    "time": ("时间", "操作时间", "扫描时间", "更新时间", "time", "date", "eventtime"),
    "description": ("描述", "详情", "物流详情", "description", "detail"),
    "location": ("地点", "网点", "所在地", "location", "place"),
}


class KeyAccountParcel(models.Model):
    _inherit = "key.account.parcel"

    @api.model
    def _key_account_status_file_rows(self, data, filename):
        """The events of a status file, each with its row number in the file.
        Refuses a file without the number, status and time columns."""
        table = self.env["key.account.parcel.waybill"]._key_account_read_table(
            data, filename
        )
        while table and not any(table[0]):
            table.pop(0)
        if not table:
            raise UserError(self.env._("%(file)s is empty.", file=filename))
        aliases = {
            normalise_header(alias): key
            for key, names in STATUS_FILE_HEADERS.items()
            for alias in names
        }
        columns = {}
        for index, header in enumerate(table[0]):
            key = aliases.get(normalise_header(header))
            if key and key not in columns:
                columns[key] = index
        missing = [key for key in ("number", "status", "time") if key not in columns]
        if missing:
            raise UserError(
                self.env._(
                    "%(file)s needs the columns 运单号 (waybill number), 状态 "
                    "(status) and 时间 (time): found the headers %(headers)s.",
                    file=filename,
                    headers=", ".join(h for h in table[0] if h) or "-",
                )
            )
        tz = pytz.timezone(self.env.user.tz or "Asia/Shanghai")
        rows = []
        for number, cells in enumerate(table[1:], start=2):
            if not any(cells):
                continue
            event = {
                key: (cells[index] if index < len(cells) else "")
                for key, index in columns.items()
            }
            # A file's times are the courier's local times, without offset
            # (a time that does not parse is reported by the engine's parser).
            text = str(event["time"] or "")
            try:
                moment = parse_event_time(text)
            except (TypeError, ValueError):
                moment = None
            if moment and "+" not in text and not text.endswith("Z"):
                event["time"] = (
                    tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)
                )
            rows.append((number, event))
        return rows

    @api.model
    def _key_account_status_file_error(self, error, event):
        """The engine's parse error of one row, in the user's words."""
        text = error["error"]
        if text.startswith("number"):
            return self.env._("no waybill number")
        if text.startswith("unknown status"):
            return self.env._(
                "status %(status)s is not known: add it to the carrier's "
                "courier status words",
                status=event.get("status") or "-",
            )
        return self.env._(
            "time %(time)s is not a date and time (2026-12-01 10:00:00)",
            time=event.get("time") or "-",
        )

    @api.model
    def _key_account_import_status_file(self, carrier, data, filename, apply=False):
        """Check (and with ``apply`` record) a status file of ``carrier``'s
        parcels. Returns ``{"rows", "errors", "result"}``: ``errors`` lists
        ``(row, message)``; nothing is recorded while one row is wrong (an
        unknown number, an unknown status word, a missing time). The same
        file twice records nothing the second time (the engine skips events
        it has)."""
        if not self.env.user.has_group("stock.group_stock_user"):
            raise UserError(
                self.env._("Only inventory users import tracking status files.")
            )
        rows = self._key_account_status_file_rows(data, filename)
        events = [event for __, event in rows]
        errors = []
        parsed_errors = []
        self._key_account_parse_events(carrier, events, parsed_errors)
        for error in parsed_errors:
            row, event = rows[error["index"]]
            errors.append((row, self._key_account_status_file_error(error, event)))
        numbers = {str(event.get("number") or "").strip() for event in events} - {""}
        domain = [
            ("carrier_id", "=", carrier.id),
            ("waybill_number", "in", list(numbers)),
        ]
        if carrier.company_id:
            domain.append(("company_id", "=", carrier.company_id.id))
        known = set(self.sudo().search(domain).mapped("waybill_number"))
        for row, event in rows:
            number = str(event.get("number") or "").strip()
            if number and number not in known:
                errors.append(
                    (
                        row,
                        self.env._(
                            "waybill number %(number)s is no parcel of %(carrier)s",
                            number=number,
                            carrier=carrier.name,
                        ),
                    )
                )
        errors.sort()
        result = None
        if apply and not errors:
            result = self._key_account_ingest_events(carrier, events, source="file")
        return {"rows": len(rows), "errors": errors, "result": result}
