# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Courier files: the booking export (the courier's bulk-order spreadsheet)
and the waybill import (the numbers it sends back), as model methods the
wizards, the benchmark and any other caller share.

Both run in a fixed number of queries whatever the number of deliveries:
bulk reads, one create of the missing parcels, one ``UPDATE ... FROM
(VALUES ...)`` of the numbers.

One number per parcel: ``stock.picking.carrier_tracking_ref`` is set to the
parcel's number only for a delivery of one parcel; a delivery of several
parcels keeps each number on its parcel, never a comma-joined list.
"""

import csv
import io
import unicodedata
import zipfile
from collections import Counter, defaultdict

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .key_account_carrier_column import normalise_header

ROW_LIMIT_PARAM = "key_account_order.waybill_import_max_rows"
DEFAULT_ROW_LIMIT = 20000
STOCK_USER_GROUP = "stock.group_stock_user"
# Our reference of the n-th parcel of a delivery of several parcels.
PARCEL_SEPARATOR = "#"
ERROR_STATUSES = {
    "unknown_reference",
    "duplicate_in_file",
    "number_used",
    "other_number",
    "cancelled",
    "other_company",
    "no_number",
    "ambiguous",
}
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_text(value):
    """A cell as text: integral numbers without ``.0``, full-width forms
    folded (１２３ → 123), blanks stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def digits(text):
    return "".join(ch for ch in text or "" if ch.isdigit())


def gbk_safe(text):
    """``text`` with what GBK cannot encode replaced by ``?``, and the
    characters replaced."""
    try:
        text.encode("gbk")
        return text, ""
    except UnicodeEncodeError:
        bad = []
        chars = []
        for ch in text:
            try:
                ch.encode("gbk")
                chars.append(ch)
            except UnicodeEncodeError:
                bad.append(ch)
                chars.append("?")
        return "".join(chars), "".join(bad)


class KeyAccountParcelWaybill(models.AbstractModel):
    _name = "key.account.parcel.waybill"
    _description = "Courier Waybill Files"

    @api.model
    def _key_account_check_stock_user(self):
        if not (self.env.su or self.env.user.has_group(STOCK_USER_GROUP)):
            raise AccessError(
                self.env._("Only inventory users can book parcels with couriers.")
            )

    # ------------------------------------------------------------------
    # Booking export
    # ------------------------------------------------------------------
    @api.model
    def _key_account_export(
        self, pickings, file_format="xlsx", encoding="gbk", rebook=False
    ):
        """The booking files of ``pickings``, one per carrier (a zip when
        several). Deliveries already booked are skipped unless ``rebook``.
        Creates the missing parcels (draft): one per delivery, or one per
        package when the delivery is packed.

        :return: dict(filename, data, mimetype, exported, skipped, warnings)
        """
        self._key_account_check_stock_user()
        # A fresh recordset: one prefetch set for all the deliveries, whatever
        # the caller's recordset prefetches with.
        pickings = self.env["stock.picking"].browse(pickings.ids)
        pickings = pickings.filtered(lambda p: p.state != "cancel")
        skipped, warnings = [], []
        no_carrier = pickings.filtered(lambda p: not p.carrier_id)
        for picking in no_carrier:
            skipped.append(
                self.env._("%(delivery)s: no carrier.", delivery=picking.name)
            )
        pickings -= no_carrier
        if not rebook:
            booked = pickings.filtered(
                lambda p: any(
                    parcel.waybill_number and parcel.tracking_state != "cancelled"
                    for parcel in p.key_account_parcel_ids
                )
            )
            for picking in booked:
                skipped.append(
                    self.env._(
                        "%(delivery)s: already booked (tick re-book to export it "
                        "again).",
                        delivery=picking.name,
                    )
                )
            pickings -= booked
        if not pickings:
            raise UserError(
                self.env._(
                    "Nothing to export:\n%(reasons)s", reasons="\n".join(skipped[:50])
                )
            )
        parcels = self._key_account_ensure_parcels(pickings)
        parcels_by_picking = defaultdict(list)
        for parcel in parcels:
            parcels_by_picking[parcel.picking_id.id].append(parcel)
        files = []
        for carrier in pickings.carrier_id:
            columns = carrier._key_account_columns()
            rows = [columns.mapped("header")]
            for picking in pickings.filtered(lambda p, c=carrier: p.carrier_id == c):
                own = parcels_by_picking[picking.id]
                for parcel in own:
                    values = self._key_account_row_values(picking, parcel, len(own))
                    rows.append([values.get(key, "") for key in columns.mapped("key")])
            if encoding == "gbk":
                for index, row in enumerate(rows[1:], start=2):
                    for col, value in enumerate(row):
                        safe, bad = gbk_safe(value)
                        if bad:
                            row[col] = safe
                            warnings.append(
                                self.env._(
                                    "%(carrier)s row %(row)s: %(chars)s cannot be "
                                    "written in GBK, replaced by ?.",
                                    carrier=carrier.name,
                                    row=index,
                                    chars=bad,
                                )
                            )
            name = f"{carrier.name}-{fields.Date.context_today(self)}"
            files.append(
                (name, self._key_account_write_table(rows, file_format, encoding))
            )
        if len(files) == 1:
            name, data = files[0]
            filename = f"{name}.{file_format}"
            mimetype = XLSX_MIMETYPE if file_format == "xlsx" else "text/csv"
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in files:
                    archive.writestr(f"{name}.{file_format}", data)
            data = buffer.getvalue()
            filename = f"booking-{fields.Date.context_today(self)}.zip"
            mimetype = "application/zip"
        return {
            "filename": filename,
            "data": data,
            "mimetype": mimetype,
            "exported": pickings,
            "skipped": skipped,
            "warnings": warnings,
        }

    @api.model
    def _key_account_ensure_parcels(self, pickings):
        """The live parcels of ``pickings``; the missing ones created (draft)
        in one create: one per package of a packed delivery, else one."""
        Parcel = self.env["key.account.parcel"].sudo()
        existing = Parcel.search(
            [("picking_id", "in", pickings.ids), ("tracking_state", "!=", "cancelled")]
        )
        have = set(existing.picking_id.ids)
        vals_list = []
        for picking in pickings:
            if picking.id in have:
                continue
            packages = picking.move_line_ids.result_package_id
            for sequence, package in enumerate(packages or [False], start=1):
                vals_list.append(
                    {
                        "picking_id": picking.id,
                        "company_id": picking.company_id.id,
                        "sequence": sequence,
                        "carrier_id": picking.carrier_id.id,
                        "package_id": package and package.id,
                    }
                )
        return (existing | Parcel._key_account_create_bulk(vals_list)).sorted(
            lambda p: (p.picking_id.id, p.sequence, p.id)
        )

    @api.model
    def _key_account_row_values(self, picking, parcel, parcel_count):
        partner = picking.partner_id
        reference = picking.name
        if parcel_count > 1:
            reference = f"{picking.name}{PARCEL_SEPARATOR}{parcel.sequence}"
        return {
            "recipient_name": partner.name or "",
            "phone": partner.phone or partner.mobile or "",
            "province": partner.state_id.name or "",
            "city": partner.city or "",
            "district": partner.key_account_district or "",
            "street": " ".join(filter(None, [partner.street, partner.street2])),
            "goods": "、".join(picking.move_ids.product_id.mapped("name")),
            "parcel_count": "1",
            "reference": reference,
            "note": picking.key_account_packaging_note or "",
            "waybill_number": parcel.waybill_number or "",
        }

    @api.model
    def _key_account_write_table(self, rows, file_format, encoding):
        if file_format == "csv":
            buffer = io.StringIO()
            csv.writer(buffer).writerows(rows)
            text = buffer.getvalue()
            if encoding == "gbk":
                return text.encode("gbk", errors="replace")
            return text.encode("utf-8-sig")
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    # ------------------------------------------------------------------
    # Waybill import
    # ------------------------------------------------------------------
    @api.model
    def _key_account_row_limit(self):
        value = self.env["ir.config_parameter"].sudo().get_param(ROW_LIMIT_PARAM) or ""
        return int(value) if value.isdigit() else DEFAULT_ROW_LIMIT

    @api.model
    def _key_account_read_table(self, data, filename):
        """The file's rows as lists of text (XLSX, or CSV in UTF-8 or GBK)."""
        limit = self._key_account_row_limit() + 1  # the header row
        name = (filename or "").lower()
        rows = []
        if name.endswith(".xlsx") or data[:2] == b"PK":
            import openpyxl

            try:
                workbook = openpyxl.load_workbook(
                    io.BytesIO(data), read_only=True, data_only=True
                )
            except Exception as error:
                raise UserError(
                    self.env._(
                        "%(file)s is not a readable XLSX file: %(error)s",
                        file=filename,
                        error=error,
                    )
                ) from error
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                rows.append([cell_text(value) for value in row])
                if len(rows) > limit + 1:
                    break
            workbook.close()
            return rows
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        delimiter = max(",\t;", key=text[:2000].count)
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append([cell_text(value) for value in row])
            if len(rows) > limit + 1:
                break
        return rows

    @api.model
    def _key_account_parse(self, data, filename, carrier=None):
        """The rows of a waybill file: dicts of ``row`` (its number in the
        file), ``reference``, ``waybill_number``, ``phone``,
        ``recipient_name``. Refuses a file without a number column or with
        more rows than the limit."""
        table = self._key_account_read_table(data, filename)
        while table and not any(table[0]):
            table.pop(0)
        if not table:
            raise UserError(self.env._("%(file)s is empty.", file=filename))
        recognised = self.env[
            "key.account.carrier.column"
        ]._key_account_recognised_headers(carrier)
        columns = {}
        for index, header in enumerate(table[0]):
            key = recognised.get(normalise_header(header))
            if key and key not in columns:
                columns[key] = index
        if "waybill_number" not in columns or not (
            "reference" in columns or {"phone", "recipient_name"} <= set(columns)
        ):
            raise UserError(
                self.env._(
                    "%(file)s has no waybill number column, or neither our "
                    "reference nor the recipient's phone and name: found the "
                    "headers %(headers)s. Add the courier's headers to its column "
                    "map (aliases).",
                    file=filename,
                    headers=", ".join(h for h in table[0] if h) or "-",
                )
            )
        limit = self._key_account_row_limit()
        if len(table) - 1 > limit:
            raise UserError(
                self.env._(
                    "%(file)s has more than %(limit)s rows: split it into files "
                    "of at most %(limit)s rows.",
                    file=filename,
                    limit=limit,
                )
            )
        rows = []
        for number, cells in enumerate(table[1:], start=2):
            row = {"row": number}
            for key, index in columns.items():
                row[key] = cells[index] if index < len(cells) else ""
            row["empty"] = not any(cells)
            rows.append(row)
        return rows

    @api.model
    def _key_account_preview(self, rows, carrier=None):
        """What importing ``rows`` would do, row by row: dicts of ``row``,
        ``status``, ``message``, ``reference``, ``waybill_number``,
        ``picking`` and ``parcel`` (a parcel record, or a dict of the parcel
        to create). Queries independent of the number of rows."""
        Picking = self.env["stock.picking"].sudo()
        Parcel = self.env["key.account.parcel"].sudo()
        companies = self.env.companies
        results = []
        live = [row for row in rows if not row["empty"]]
        for row in live:
            row["waybill_number"] = "".join(row.get("waybill_number", "").split())
            reference = row.get("reference", "")
            base, _sep, seq = reference.partition(PARCEL_SEPARATOR)
            row["base"], row["seq"] = base.strip(), int(seq) if seq.isdigit() else 0
        # Deliveries by reference (any company: another company's is named).
        pickings_by_name = defaultdict(list)
        names = {row["base"] for row in live if row["base"]}
        if names:
            for picking in Picking.search_fetch(
                [("name", "in", list(names))],
                ["name", "company_id", "state", "carrier_id", "carrier_tracking_ref"],
            ):
                pickings_by_name[picking.name].append(picking)
        # Deliveries by phone + name when the courier dropped our reference.
        by_contact = defaultdict(list)
        phones = {
            digits(row.get("phone"))
            for row in live
            if not row["base"] and digits(row.get("phone"))
        }
        if phones:
            for picking in Picking.search_fetch(
                [
                    ("partner_id.phone", "in", list(phones)),
                    ("picking_type_code", "=", "outgoing"),
                    ("state", "!=", "cancel"),
                    ("company_id", "in", companies.ids),
                ],
                ["name", "company_id", "state", "partner_id", "carrier_id"],
            ):
                key = (digits(picking.partner_id.phone), picking.partner_id.name)
                by_contact[key].append(picking)
        candidates = Picking.browse(
            {p.id for ps in pickings_by_name.values() for p in ps}
            | {p.id for ps in by_contact.values() for p in ps}
        )
        parcels_by_picking = defaultdict(list)
        for parcel in Parcel.search_fetch(
            [
                ("picking_id", "in", candidates.ids),
                ("tracking_state", "!=", "cancelled"),
            ],
            [
                "picking_id",
                "sequence",
                "waybill_number",
                "tracking_state",
                "carrier_id",
            ],
            order="picking_id, sequence, id",
        ):
            parcels_by_picking[parcel.picking_id.id].append(parcel)
        numbers = [row["waybill_number"] for row in live if row["waybill_number"]]
        used = {}
        if numbers:
            for parcel in Parcel.search_fetch(
                [("waybill_number", "in", numbers)], ["picking_id", "waybill_number"]
            ):
                used[parcel.waybill_number] = parcel

        rows_of_number = defaultdict(list)
        for row in live:
            rows_of_number[row["waybill_number"]].append(row["row"])
        ctx = {
            "companies": companies,
            "pickings_by_name": pickings_by_name,
            "by_contact": by_contact,
            "parcels_by_picking": parcels_by_picking,
            "used": used,
            "in_file": Counter(numbers),
            "rows_of_number": rows_of_number,
            "claimed": set(),
            "new_seq": defaultdict(int),
        }
        for row in rows:
            result = {
                "row": row["row"],
                "reference": row.get("reference", ""),
                "waybill_number": row.get("waybill_number", ""),
                "picking": None,
                "parcel": None,
            }
            results.append(result)
            if row["empty"]:
                result.update(status="empty", message=self.env._("Empty row, skipped."))
                continue
            status, message = self._key_account_match_picking(row, result, ctx)
            if not status:
                status, message = self._key_account_match_parcel(row, result, ctx)
            result.update(status=status, message=message)
        return results

    @api.model
    def _key_account_match_picking(self, row, result, ctx):
        """Find the row's delivery (``result["picking"]``); an error status
        and message, or ``(None, None)``."""
        picking = None
        if row["base"]:
            found = ctx["pickings_by_name"].get(row["base"], [])
            own = [p for p in found if p.company_id in ctx["companies"]]
            if not own and found:
                return "other_company", self.env._(
                    "%(ref)s is a delivery of another company.", ref=row["base"]
                )
            picking = own[0] if own else None
        else:
            found = ctx["by_contact"].get(
                (digits(row.get("phone")), row.get("recipient_name", "").strip()), []
            )
            if len(found) > 1:
                return "ambiguous", self.env._(
                    "%(name)s %(phone)s matches several deliveries (%(deliveries)s): "
                    "give our reference.",
                    name=row.get("recipient_name"),
                    phone=row.get("phone"),
                    deliveries=", ".join(p.name for p in found[:5]),
                )
            picking = found[0] if found else None
        if not picking:
            return "unknown_reference", self.env._(
                "No delivery %(ref)s.",
                ref=row["base"] or row.get("recipient_name") or "-",
            )
        result["picking"] = picking
        if picking.state == "cancel":
            return "cancelled", self.env._(
                "Delivery %(delivery)s is cancelled.", delivery=picking.name
            )
        number = row["waybill_number"]
        if not number:
            return "no_number", self.env._(
                "No waybill number for %(delivery)s.", delivery=picking.name
            )
        if ctx["in_file"][number] > 1:
            return "duplicate_in_file", self.env._(
                "Waybill number %(number)s is in the file more than once "
                "(rows %(rows)s).",
                number=number,
                rows=", ".join(map(str, ctx["rows_of_number"][number])),
            )
        return None, None

    @api.model
    def _key_account_match_parcel(self, row, result, ctx):
        """Find or plan the parcel of the row's delivery that takes its
        number (``result["parcel"]``): a status and message."""
        picking, number = result["picking"], row["waybill_number"]
        parcels = ctx["parcels_by_picking"][picking.id]
        if row["seq"]:
            parcel = next((p for p in parcels if p.sequence == row["seq"]), None)
        else:
            parcel = next((p for p in parcels if p.waybill_number == number), None)
            parcel = parcel or next(
                (
                    p
                    for p in parcels
                    if not p.waybill_number and p.id not in ctx["claimed"]
                ),
                None,
            )
            parcel = parcel or (parcels[0] if parcels else None)
        result["parcel"] = parcel
        if parcel and parcel.waybill_number == number:
            return "already", self.env._(
                "%(delivery)s is already booked with this number.",
                delivery=picking.name,
            )
        if parcel and parcel.waybill_number:
            return "other_number", self.env._(
                "%(delivery)s already has waybill number %(other)s.",
                delivery=picking.name,
                other=parcel.waybill_number,
            )
        other = ctx["used"].get(number)
        if other:
            return "number_used", self.env._(
                "Waybill number %(number)s is already used by delivery %(delivery)s.",
                number=number,
                delivery=other.picking_id.name,
            )
        if parcel:
            ctx["claimed"].add(parcel.id)
        else:
            ctx["new_seq"][picking.id] += 1
            result["parcel"] = {
                "picking_id": picking.id,
                "sequence": row["seq"] or ctx["new_seq"][picking.id],
            }
        return "matched", self.env._(
            "%(delivery)s gets waybill number %(number)s.",
            delivery=picking.name,
            number=number,
        )

    @api.model
    def _key_account_lock_imports(self):
        """One waybill import at a time per database: a second one fails at
        once with a clear message (transaction-scoped advisory lock)."""
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext('key_account_waybill_import'))"
        )
        if not self.env.cr.fetchone()[0]:
            raise UserError(
                self.env._(
                    "Another waybill import is running: try again when it has finished."
                )
            )

    @api.model
    def _key_account_import(self, data, filename, carrier=None, apply=False):
        """Preview (``apply=False``) or apply a waybill file. Applying writes
        nothing when any row is in error; rows already booked with their
        number change nothing.

        :return: dict(results, counts, errors, applied: number of parcels booked)
        """
        self._key_account_check_stock_user()
        if apply:
            self._key_account_lock_imports()
        rows = self._key_account_parse(data, filename, carrier=carrier)
        results = self._key_account_preview(rows, carrier=carrier)
        errors = [r for r in results if r["status"] in ERROR_STATUSES]
        summary = {
            "results": results,
            "counts": Counter(r["status"] for r in results),
            "errors": errors,
            "applied": 0,
        }
        if not apply:
            return summary
        if errors:
            lines = [
                self.env._(
                    "Row %(row)s: %(message)s",
                    row=error["row"],
                    message=error["message"],
                )
                for error in errors[:50]
            ]
            raise UserError(
                self.env._(
                    "Nothing was imported: %(count)s rows are in error.\n%(rows)s",
                    count=len(errors),
                    rows="\n".join(lines),
                )
            )
        matched = [r for r in results if r["status"] == "matched"]
        summary["applied"] = self._key_account_book(matched, carrier=carrier)
        return summary

    @api.model
    def _key_account_book(self, matched, carrier=None):
        """Write the numbers of the matched rows: missing parcels created,
        existing ones updated in one statement, the deliveries' single
        ``carrier_tracking_ref`` and tracking state after them."""
        if not matched:
            return 0
        Parcel = self.env["key.account.parcel"].sudo()
        now = fields.Datetime.now()
        create_vals = []
        updates = []
        for result in matched:
            picking = result["picking"]
            carrier_id = (carrier or picking.carrier_id).id or None
            if isinstance(result["parcel"], dict):
                create_vals.append(
                    dict(
                        result["parcel"],
                        company_id=picking.company_id.id,
                        carrier_id=carrier_id,
                        waybill_number=result["waybill_number"],
                        tracking_state="booked",
                        tracking_date=now,
                    )
                )
            else:
                updates.append(
                    (result["parcel"].id, result["waybill_number"], carrier_id)
                )
        try:
            with self.env.cr.savepoint():
                parcels = Parcel._key_account_create_bulk(create_vals)
                if updates:
                    self.env.flush_all()
                    query = """
                        UPDATE key_account_parcel p
                           SET waybill_number = v.number,
                               carrier_id = COALESCE(v.carrier::int, p.carrier_id),
                               tracking_state = 'booked',
                               tracking_date = %s,
                               write_uid = %s,
                               write_date = %s
                          FROM (VALUES {values}) AS v(id, number, carrier)
                         WHERE p.id = v.id
                    """.format(values=", ".join(["(%s, %s, %s)"] * len(updates)))
                    self.env.cr.execute(
                        query,
                        [now, self.env.uid, now]
                        + [value for update in updates for value in update],
                    )
                    Parcel.invalidate_model()
                    parcels |= Parcel.browse([update[0] for update in updates])
                self.env.flush_all()
        except psycopg2.IntegrityError as error:
            raise UserError(
                self.env._(
                    "A waybill number of this file was given to another parcel "
                    "meanwhile: nothing was imported, import the file again."
                )
            ) from error
        pickings = self.env["stock.picking"].browse(
            {result["picking"].id for result in matched}
        )
        self._key_account_set_tracking_refs(pickings)
        parcels._key_account_log_event(
            "booked", self.env._("Waybill number imported"), source="file"
        )
        pickings.sudo()._key_account_update_tracking_state()
        return len(parcels)

    @api.model
    def _key_account_set_tracking_refs(self, pickings):
        """``carrier_tracking_ref`` = the number of a delivery's only live
        parcel; cleared for a delivery of several parcels (each keeps its
        own number)."""
        groups = (
            self.env["key.account.parcel"]
            .sudo()
            ._read_group(
                [
                    ("picking_id", "in", pickings.ids),
                    ("tracking_state", "!=", "cancelled"),
                ],
                ["picking_id"],
                ["waybill_number:array_agg"],
            )
        )
        values = []
        for picking, numbers in groups:
            numbers = [n for n in numbers if n]
            values.append((picking.id, numbers[0] if len(numbers) == 1 else None))
        if not values:
            return
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_picking p SET carrier_tracking_ref = v.ref "
            "FROM (VALUES {values}) AS v(id, ref) WHERE p.id = v.id".format(
                values=", ".join(["(%s, %s)"] * len(values))
            ),
            [value for pair in values for value in pair],
        )
        self.env["stock.picking"].invalidate_model(
            ["carrier_tracking_ref", "carrier_tracking_url"]
        )
