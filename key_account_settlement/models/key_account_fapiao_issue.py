# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issued fapiao come back from the tax system: the import of its list of
issued fapiao (numbers, dates, amounts, status) and of the fapiao files, the
manual entry of a number by a manager, and what an issue, a void or a red
fapiao changes on the fapiao, its request and the fapiao it reverses.

The engine is here, on the model, in batch: one read of the fapiao of all
the rows, one read of the numbers already used, grouped writes; the import
wizard only uploads the files and shows the preview."""

import csv
import io
import re
import zipfile
from collections import defaultdict
from datetime import date, datetime

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare
from odoo.tools.mail import generate_tracking_message_id

INVOICING_GROUP = "account.group_account_invoice"
ACCOUNT_MANAGER_GROUP = "account.group_account_manager"

AMOUNT_TOLERANCE = 0.01
TAX_TOLERANCE = 0.06

# Column headers of the tax system's list of issued fapiao (Chinese or
# English, any case): {column: aliases}.
ISSUE_COLUMNS = {
    "serial": ("流水号", "开票流水号", "申请流水号", "serial", "serial number"),
    "number": (
        "发票号码",
        "数电票号码",
        "全电发票号码",
        "数电发票号码",
        "fapiao number",
        "number",
    ),
    "code": ("发票代码", "fapiao code", "code"),
    "issue_date": ("开票日期", "issue date", "date"),
    "amount_untaxed": ("金额", "不含税金额", "合计金额", "untaxed amount", "untaxed"),
    "amount_tax": ("税额", "合计税额", "tax", "tax amount"),
    "amount_total": ("价税合计", "含税金额", "total", "total amount"),
    "status": ("发票状态", "状态", "status"),
}
ISSUE_STATUSES = {
    "正常": "issued",
    "normal": "issued",
    "issued": "issued",
    "作废": "voided",
    "已作废": "voided",
    "voided": "voided",
    "void": "voided",
    "红冲": "red_reversed",
    "已红冲": "red_reversed",
    "全额红冲": "red_reversed",
    "red_reversed": "red_reversed",
    "red-reversed": "red_reversed",
    "reversed": "red_reversed",
}
# A 数电票 number has 20 digits and no code; a legacy fapiao an 8-digit
# number and a 10- or 12-digit code.
DIGITAL_NUMBER = re.compile(r"^\d{20}$")
LEGACY_NUMBER = re.compile(r"^\d{8}$")
LEGACY_CODE = re.compile(r"^(\d{10}|\d{12})$")
# 红字确认单编号 (数电票, 20 digits) or 红字发票信息表编号 (legacy, 16 digits)
RED_CONFIRMATION = re.compile(r"^(\d{16}|\d{20})$")

# The fapiao files of a zip: what is read, and how much of it.
FILE_EXTENSIONS = (".pdf", ".ofd", ".xml")
MAX_ZIP_MEMBERS = 5000
MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_ZIP_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
NUMBER_IN_NAME = re.compile(r"(?<!\d)(\d{20}|\d{8})(?!\d)")


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class KeyAccountFapiao(models.Model):
    _inherit = "key.account.fapiao"

    def init(self):
        res = super().init()
        # A fapiao number is unique per seller, with or without a code: the
        # constraint unique(company_id, fapiao_code, fapiao_number) lets two
        # 数电票 (no code: NULL) share a number, NULLs being distinct.
        tools.create_unique_index(
            self.env.cr,
            "key_account_fapiao_number_company_uniq",
            self._table,
            ["company_id", "COALESCE(fapiao_code, '')", "fapiao_number"],
        )
        return res

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    @api.model
    def _check_fapiao_invoicing_user(self):
        if not (self.env.su or self.env.user.has_group(INVOICING_GROUP)):
            raise AccessError(self.env._("Only invoicing users import issued fapiao."))

    @api.model
    def _check_fapiao_account_manager(self):
        if not (self.env.su or self.env.user.has_group(ACCOUNT_MANAGER_GROUP)):
            raise AccessError(
                self.env._("Only an accounting manager enters a fapiao number by hand.")
            )

    # ------------------------------------------------------------------
    # Reading the tax system's list
    # ------------------------------------------------------------------
    @api.model
    def _issue_parse_file(self, content, filename):
        """The rows of the list of issued fapiao ``content`` (bytes of an
        XLSX or CSV file): [{"row": row number in the file, column: text or
        value}], the columns of ``ISSUE_COLUMNS`` found in its header."""
        name = (filename or "").lower()
        if name.endswith((".xlsx", ".xlsm")):
            table = self._issue_read_xlsx(content)
        elif name.endswith((".csv", ".txt")):
            table = self._issue_read_csv(content)
        else:
            raise UserError(
                self.env._(
                    "%(file)s is neither an XLSX nor a CSV file: export the list of "
                    "issued fapiao from the tax system as XLSX or CSV.",
                    file=filename or "?",
                )
            )
        aliases = {
            alias.lower(): column
            for column, names in ISSUE_COLUMNS.items()
            for alias in names
        }
        # the header is the first of the first rows naming a serial column
        header_index = 0
        for header_index, header in enumerate(table[:10]):  # noqa: B007
            columns = {
                index: aliases[_cell_text(cell).lower()]
                for index, cell in enumerate(header)
                if _cell_text(cell).lower() in aliases
            }
            if "serial" in columns.values():
                break
        else:
            raise UserError(
                self.env._(
                    "%(file)s has no serial column (流水号 / Serial): is it the tax "
                    "system's list of issued fapiao?",
                    file=filename,
                )
            )
        rows = []
        for offset, cells in enumerate(table[header_index + 1 :], start=2):
            if not any(_cell_text(cell) for cell in cells):
                continue
            row = {"row": header_index + offset}
            for index, column in columns.items():
                row.setdefault(column, cells[index] if index < len(cells) else None)
            rows.append(row)
        return rows

    @api.model
    def _issue_read_xlsx(self, content):
        import openpyxl

        try:
            book = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True
            )
        except Exception as error:
            raise UserError(
                self.env._(
                    "The file is not a readable XLSX file: %(error)s", error=error
                )
            ) from error
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    @api.model
    def _issue_read_csv(self, content):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UserError(self.env._("The CSV file is neither UTF-8 nor GBK."))
        return list(csv.reader(io.StringIO(text)))

    @api.model
    def _issue_parse_date(self, value):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _cell_text(value)
        if not text:
            return None
        text = text.replace("年", "-").replace("月", "-").replace("日", "")
        text = text.replace("/", "-").split(" ")[0].split("T")[0]
        for pattern in ("%Y-%m-%d", "%Y%m%d"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        return False

    @api.model
    def _issue_parse_amount(self, value):
        if isinstance(value, int | float):
            return float(value)
        text = _cell_text(value).replace(",", "").replace("¥", "").replace("￥", "")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            return False

    # ------------------------------------------------------------------
    # The engine: check every row, then apply all or nothing
    # ------------------------------------------------------------------
    @api.model
    def _issue_import_prepare(self, rows, company=None):
        """Check the rows of a list of issued fapiao against the fapiao of
        ``company`` (default: the user's), in batch.

        Return {"errors": [(row number, message)], "changes": [(fapiao,
        vals)], "unchanged": number of rows already imported}; "changes"
        only when there is no error."""
        company = company or self.env.company
        Fapiao = self.sudo().with_context(active_test=False)
        errors = []
        _ = self.env._
        by_serial, elsewhere = Fapiao._issue_fapiao_by_serial(rows, company)
        parsed = []
        seen_serials = {}
        numbers_in_file = defaultdict(list)
        for row in rows:
            line = row["row"]
            serial = _cell_text(row.get("serial"))
            fapiao = by_serial.get(serial)
            status = ISSUE_STATUSES.get(_cell_text(row.get("status")).lower() or "正常")
            if not serial:
                error = _("The serial (流水号) is missing.")
            elif serial in seen_serials:
                error = _(
                    "Serial %(serial)s is also on row %(other)s: each fapiao "
                    "is listed once.",
                    serial=serial,
                    other=seen_serials[serial],
                )
            elif not fapiao:
                error = self._issue_unknown_serial_error(serial, elsewhere, company)
            elif not status:
                error = _(
                    "Status %(status)s is unknown: 正常 (issued), 作废 (voided) or "
                    "红冲 (red-reversed).",
                    status=_cell_text(row.get("status")),
                )
            else:
                error = None
            seen_serials.setdefault(serial, line)
            if error:
                errors.append((line, error))
                continue
            number = _cell_text(row.get("number"))
            code = _cell_text(row.get("code"))
            issue_date = self._issue_parse_date(row.get("issue_date"))
            row_errors = fapiao._issue_row_errors(row, status, number, code, issue_date)
            if number:
                numbers_in_file[(code or False, number)].append(line)
            errors.extend((line, message) for message in row_errors)
            if not row_errors:
                parsed.append((line, fapiao, status, number, code, issue_date))

        for (__, number), lines in numbers_in_file.items():
            for line in lines[1:]:
                errors.append(
                    (
                        line,
                        _(
                            "Fapiao number %(number)s is also on row %(other)s.",
                            number=number,
                            other=lines[0],
                        ),
                    )
                )
        # numbers already used by other fapiao of the seller: one read
        used = {}
        if numbers_in_file:
            others = Fapiao.search(
                [
                    ("company_id", "=", company.id),
                    ("fapiao_number", "in", [number for __, number in numbers_in_file]),
                ]
            )
            used = {
                (other.fapiao_code or False, other.fapiao_number): other
                for other in others
            }

        changes = []
        unchanged = 0
        for line, fapiao, status, number, code, issue_date in parsed:
            other = used.get((code or False, number)) if number else None
            if other and other != fapiao:
                errors.append(
                    (
                        line,
                        _(
                            "Fapiao number %(number)s is already the number of fapiao "
                            "%(other)s of %(company)s.",
                            number=number,
                            other=other.serial,
                            company=company.name,
                        ),
                    )
                )
                continue
            vals, error = fapiao._issue_transition(status, number, code, issue_date)
            if error:
                errors.append((line, error))
            elif vals:
                changes.append((fapiao, vals))
            else:
                unchanged += 1
        errors.sort(key=lambda error: error[0])
        return {
            "errors": errors,
            "changes": [] if errors else changes,
            "unchanged": unchanged,
            "rows": len(rows),
        }

    @api.model
    def _issue_fapiao_by_serial(self, rows, company):
        """({serial: fapiao of ``company``}, {serial: other company}) for the
        serials of ``rows``: one read."""
        serials = {_cell_text(row.get("serial")) for row in rows} - {""}
        fapiaos = self.search([("serial", "in", list(serials))]) if serials else self
        fapiaos.fetch(
            [
                "serial",
                "company_id",
                "state",
                "fapiao_number",
                "fapiao_code",
                "issue_date",
                "amount_untaxed",
                "amount_tax",
                "amount_total",
                "request_id",
            ]
        )
        by_serial, elsewhere = {}, {}
        for fapiao in fapiaos:
            if fapiao.company_id == company:
                by_serial[fapiao.serial] = fapiao
            else:
                elsewhere.setdefault(fapiao.serial, fapiao.company_id)
        return by_serial, elsewhere

    @api.model
    def _issue_unknown_serial_error(self, serial, elsewhere, company):
        if serial in elsewhere:
            return self.env._(
                "Serial %(serial)s is a fapiao of %(company)s, not of %(current)s: "
                "import it in that company.",
                serial=serial,
                company=elsewhere[serial].name,
                current=company.name,
            )
        return self.env._(
            "Serial %(serial)s is no fapiao exported from here.", serial=serial
        )

    @api.model
    def _issue_number_error(self, number, code):
        """The error of a malformed fapiao number and code, or None."""
        if (DIGITAL_NUMBER.match(number) and not code) or (
            LEGACY_NUMBER.match(number) and LEGACY_CODE.match(code)
        ):
            return None
        return self.env._(
            "Fapiao number %(number)s (code %(code)s) is malformed: a 数电票 number "
            "has 20 digits and no code, a legacy number 8 digits with a code of "
            "10 or 12 digits.",
            number=number or "-",
            code=code or "-",
        )

    def _issue_row_errors(self, row, status, number, code, issue_date):
        """The errors of the values of ``row`` for this fapiao: number,
        date, amounts (a voided row may omit them)."""
        self.ensure_one()
        _ = self.env._
        errors = []
        if number or status != "voided":
            number_error = self._issue_number_error(number, code)
            if number_error:
                errors.append(number_error)
        if not issue_date and status != "voided":
            errors.append(
                _(
                    "The issue date %(value)s is missing or not a date (YYYY-MM-DD).",
                    value=_cell_text(row.get("issue_date")) or "-",
                )
            )
        for column, tolerance, label in (
            ("amount_untaxed", AMOUNT_TOLERANCE, _("untaxed amount")),
            ("amount_tax", TAX_TOLERANCE, _("tax")),
            ("amount_total", AMOUNT_TOLERANCE, _("total")),
        ):
            amount = self._issue_parse_amount(row.get(column))
            if amount is None and status == "voided":
                continue
            if amount is None or amount is False:
                errors.append(
                    _(
                        "The %(what)s %(value)s is missing or not a number.",
                        what=label,
                        value=_cell_text(row.get(column)) or "-",
                    )
                )
            elif abs(amount - self[column]) > tolerance + 1e-9:
                errors.append(
                    _(
                        "The %(what)s %(amount)s differs from the fapiao's "
                        "%(expected)s (serial %(serial)s).",
                        what=label,
                        amount=format(amount, ".2f"),
                        expected=format(self[column], ".2f"),
                        serial=self.serial,
                    )
                )
        return errors

    def _issue_transition(self, status, number, code, issue_date):
        """What a row of status ``status`` changes on this fapiao: (vals,
        error message); no vals when it is already so (the same file
        twice)."""
        self.ensure_one()
        _ = self.env._
        same = (
            (self.fapiao_number or "") == number
            and (self.fapiao_code or "") == code
            and (not issue_date or self.issue_date == issue_date)
        )
        numbered = {
            "fapiao_number": number or self.fapiao_number,
            "fapiao_code": code or False,
            "issue_date": issue_date or self.issue_date,
        }
        if not number:
            numbered.pop("fapiao_code")
        if self.state == status and same:
            return {}, None
        if self.state in ("issued", "red_reversed") and self.fapiao_number and not same:
            return {}, _(
                "Fapiao %(serial)s was already issued as number %(number)s: a manager "
                "corrects a number by hand.",
                serial=self.serial,
                number=self.fapiao_number,
            )
        allowed = {
            "issued": ("exported",),
            "red_reversed": ("exported", "issued"),
            "voided": ("exported", "issued"),
        }[status]
        if self.state not in allowed:
            states = dict(self._fields["state"]._description_selection(self.env))
            return {}, _(
                "Fapiao %(serial)s is %(state)s: it cannot become %(status)s.",
                serial=self.serial,
                state=states[self.state],
                status=states[status],
            )
        return dict(numbered, state=status), None

    @api.model
    def _issue_import_apply(self, rows, company=None):
        """Check and apply the rows (see ``_issue_import_prepare``): nothing
        is written when a row is wrong (a UserError lists every row)."""
        self._check_fapiao_invoicing_user()
        result = self._issue_import_prepare(rows, company=company)
        if result["errors"]:
            raise UserError(self._issue_errors_text(result["errors"]))
        self._issue_write([(fapiao, vals) for fapiao, vals in result["changes"]])
        return result

    @api.model
    def _issue_errors_text(self, errors):
        return "\n".join(
            self.env._("Row %(row)s: %(error)s", row=row, error=error)
            for row, error in errors
        )

    @api.model
    def _issue_write(self, changes):
        """Write ``changes`` [(fapiao, vals)] and what follows from them: the
        requests issued, the reversed fapiao red-reversed, one note per
        request in its chatter. Grouped writes; no rights check (callers
        check)."""
        if not changes:
            return
        fapiaos = self.browse()
        for fapiao, vals in changes:
            fapiao.sudo().write(vals)
            fapiaos |= fapiao
        fapiaos = fapiaos.sudo()
        fapiaos._issue_follow_up()
        self._issue_log(changes)

    def _issue_follow_up(self):
        """After these fapiao changed state: their requests and the fapiao
        their red fapiao reverse."""
        reds = self.filtered(
            lambda f: f.kind == "red" and f.state == "issued" and f.origin_fapiao_id
        )
        if reds:
            reds.origin_fapiao_id._red_reverse_if_complete()
        self.filtered(lambda f: f.state == "voided")._issue_release_invoices()
        self.request_id._issue_update_state()

    def _issue_release_invoices(self):
        """Voided in the tax system: the invoices on these fapiao (and on no
        other live fapiao of their request) leave the request, to be
        requested again (as the request's Void does)."""
        for request, fapiaos in self.grouped("request_id").items():
            live = request.fapiao_ids.filtered(lambda f: f.state != "voided")
            released = fapiaos.line_ids.move_id - live.line_ids.move_id
            released |= request.invoice_ids.filtered(
                lambda m, released=released: m.reversed_entry_id in released
            )
            released &= request.invoice_ids
            if released:
                request._key_account_write_guarded(
                    {"invoice_ids": [fields.Command.unlink(m.id) for m in released]}
                )

    def _red_reversed_amounts(self):
        """{fapiao id: total of its issued red fapiao (positive)}."""
        groups = (
            self.env["key.account.fapiao"]
            .sudo()
            ._read_group(
                [
                    ("origin_fapiao_id", "in", self.ids),
                    ("kind", "=", "red"),
                    ("state", "=", "issued"),
                ],
                ["origin_fapiao_id"],
                ["amount_total:sum"],
            )
        )
        return {origin.id: -total for origin, total in groups}

    def _red_reverse_if_complete(self):
        reversed_amounts = self._red_reversed_amounts()
        done = self.filtered(
            lambda f: (
                f.state == "issued"
                and float_compare(
                    reversed_amounts.get(f.id, 0.0),
                    f.amount_total,
                    precision_rounding=f.currency_id.rounding or 0.01,
                )
                >= 0
            )
        )
        if done:
            done.sudo().write({"state": "red_reversed"})
            done.request_id._issue_update_state()

    @api.model
    def _issue_note(self, items):
        return self.env._("Issued fapiao imported: %(list)s", list="; ".join(items))

    @api.model
    def _issue_log(self, changes):
        """One note per request naming its fapiao and their new state, made
        in one batch."""
        states = dict(self._fields["state"]._description_selection(self.env))
        by_request = defaultdict(list)
        for fapiao, __ in changes:
            by_request[fapiao.request_id].append(
                self.env._(
                    "%(serial)s: %(state)s %(number)s",
                    serial=fapiao.serial,
                    state=states[fapiao.state],
                    number=fapiao.fapiao_number or "",
                )
            )
        note = self.env.ref("mail.mt_note")
        author = self.env.user.partner_id
        now = fields.Datetime.now()
        uid = self.env.uid
        # One INSERT for all the notes (mail.message.create costs some 4 ms
        # a message: 4 s for a month's 1,000 fapiao): plain notes, escaped
        # text, the columns message_post fills for a note.
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, 'notification', %s, %s, %s, %s, %s, FALSE, "
                "%s, %s, %s, %s, %s)",
                request._name,
                request.id,
                request.company_id.id,
                request.name,
                note.id,
                str(
                    Markup("<p>%s</p>")
                    % self.env._(
                        "Issued fapiao imported: %(list)s", list="; ".join(items)
                    )
                ),
                author.id,
                author.email_formatted or None,
                author.email_formatted or None,
                generate_tracking_message_id("fapiao-import"),
                now,
                uid,
                now,
                uid,
                now,
            )
            for request, items in by_request.items()
        ]
        self.env["mail.message"].flush_model()
        self.env.cr.execute(
            SQL(
                """INSERT INTO mail_message (model, res_id, record_company_id,
                       record_name, subtype_id, message_type, body, author_id,
                       email_from, reply_to, message_id, is_internal, date,
                       create_uid, create_date, write_uid, write_date)
                   VALUES %s""",
                SQL(", ").join(rows),
            )
        )
        self.env["mail.message"].invalidate_model()
        self.env["key.account.fapiao.request"].invalidate_model(["message_ids"])

    # ------------------------------------------------------------------
    # Fapiao files (PDF / OFD / XML in a zip)
    # ------------------------------------------------------------------
    @api.model
    def _issue_read_zip(self, content):
        """[(file name, bytes)] of the fapiao files of the zip ``content``,
        bounded (members, size per file, total size, compression ratio):
        a zip bomb is refused, not unpacked."""
        _ = self.env._
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
        except zipfile.BadZipFile as error:
            raise UserError(
                _("The fapiao files are not a readable zip file.")
            ) from error
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_ZIP_MEMBERS:
            raise UserError(
                _(
                    "The zip holds %(count)s files; at most %(max)s are read at once.",
                    count=len(infos),
                    max=MAX_ZIP_MEMBERS,
                )
            )
        total = 0
        files = []
        for info in infos:
            if info.file_size > MAX_MEMBER_BYTES or (
                info.compress_size
                and info.file_size / info.compress_size > MAX_RATIO
                and info.file_size > 1024 * 1024
            ):
                raise UserError(
                    _(
                        "%(file)s in the zip is too large once unpacked (at most "
                        "%(max)s MB per file).",
                        file=info.filename,
                        max=MAX_MEMBER_BYTES // (1024 * 1024),
                    )
                )
            total += info.file_size
            if total > MAX_ZIP_BYTES:
                raise UserError(
                    _(
                        "The zip is too large once unpacked (at most %(max)s MB).",
                        max=MAX_ZIP_BYTES // (1024 * 1024),
                    )
                )
            name = info.filename.rsplit("/", 1)[-1]
            if not name.lower().endswith(FILE_EXTENSIONS) or name.startswith("."):
                files.append((name, None))
                continue
            with archive.open(info) as member:
                # never trust the sizes the zip declares
                data = member.read(MAX_MEMBER_BYTES + 1)
            if len(data) > MAX_MEMBER_BYTES:
                raise UserError(
                    _("%(file)s in the zip is too large once unpacked.", file=name)
                )
            files.append((name, data))
        return files

    @api.model
    def _issue_match_files(self, files, company=None, numbers=()):
        """Match ``files`` [(name, bytes)] to the fapiao of ``company`` by the
        fapiao number in the file name (also the ``numbers`` being imported):
        {"matched": [(fapiao or number, name, bytes)], "unmatched": [name]}."""
        company = company or self.env.company
        candidates = {}
        for name, data in files:
            found = NUMBER_IN_NAME.findall(name)
            candidates[name] = (found, data)
        wanted = {number for found, __ in candidates.values() for number in found}
        fapiaos = (
            self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("fapiao_number", "in", list(wanted)),
                    ("state", "in", ("issued", "red_reversed", "voided")),
                ]
            )
            if wanted
            else self.browse()
        )
        by_number = {fapiao.fapiao_number: fapiao for fapiao in fapiaos}
        by_number.update(
            {number: number for number in numbers if number not in by_number}
        )
        matched, unmatched = [], []
        for name, (found, data) in candidates.items():
            target = next((by_number[n] for n in found if n in by_number), None)
            if data is None or target is None:
                unmatched.append(name)
            else:
                matched.append((target, name, data))
        return {"matched": matched, "unmatched": unmatched}

    @api.model
    def _issue_attach_files(self, matched):
        """Attach the matched files [(fapiao, name, bytes)] (a file already
        on its fapiao, same name and content, is not attached twice)."""
        if not matched:
            return 0
        fapiaos = self.browse({fapiao.id for fapiao, __, __ in matched}).sudo()
        Attachment = self.env["ir.attachment"].sudo()
        existing = {
            (attachment.res_id, attachment.name, attachment.checksum)
            for attachment in Attachment.search(
                [("res_model", "=", self._name), ("res_id", "in", fapiaos.ids)]
            )
        }
        vals_list = []
        for fapiao, name, data in matched:
            checksum = Attachment._compute_checksum(data)
            if (fapiao.id, name, checksum) in existing:
                continue
            existing.add((fapiao.id, name, checksum))
            vals_list.append(
                {
                    "name": name,
                    "raw": data,
                    "res_model": self._name,
                    "res_id": fapiao.id,
                    "company_id": fapiao.company_id.id,
                }
            )
        attachments = Attachment.create(vals_list)
        by_fapiao = defaultdict(list)
        for attachment in attachments:
            by_fapiao[attachment.res_id].append(attachment.id)
        for fapiao in fapiaos:
            if by_fapiao.get(fapiao.id):
                fapiao.write(
                    {
                        "attachment_ids": [
                            fields.Command.link(i) for i in by_fapiao[fapiao.id]
                        ]
                    }
                )
        return len(attachments)

    # ------------------------------------------------------------------
    # A manager's manual entry
    # ------------------------------------------------------------------
    def _issue_manual_entry(self, number, code, issue_date):
        """A manager writes the number, code and date of this fapiao (issued
        in the tax system without the import), logged in the request's
        chatter."""
        self.ensure_one()
        self._check_fapiao_account_manager()
        _ = self.env._
        number = (number or "").strip()
        code = (code or "").strip()
        number_error = self._issue_number_error(number, code)
        if number_error:
            raise UserError(number_error)
        if not issue_date:
            raise UserError(
                _("Enter the issue date of fapiao %(serial)s.", serial=self.serial)
            )
        if self.state not in ("exported", "issued"):
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "Fapiao %(serial)s is %(state)s: only an exported or issued fapiao "
                    "gets a number.",
                    serial=self.serial,
                    state=states[self.state],
                )
            )
        other = self.sudo().search(
            [
                ("company_id", "=", self.company_id.id),
                ("fapiao_number", "=", number),
                ("fapiao_code", "=", code or False),
                ("id", "!=", self.id),
            ],
            limit=1,
        )
        if other:
            raise UserError(
                _(
                    "Fapiao number %(number)s is already the number of fapiao "
                    "%(other)s.",
                    number=number,
                    other=other.serial,
                )
            )
        old = self.fapiao_number
        self.sudo().write(
            {
                "fapiao_number": number,
                "fapiao_code": code or False,
                "issue_date": issue_date,
                "state": "issued",
            }
        )
        self.sudo()._issue_follow_up()
        self.request_id.sudo().message_post(
            body=_(
                "Fapiao %(serial)s: number %(number)s entered by hand by %(user)s "
                "(was %(old)s).",
                serial=self.serial,
                number=number,
                user=self.env.user.name,
                old=old or "-",
            )
        )

    # ------------------------------------------------------------------
    # Red fapiao
    # ------------------------------------------------------------------
    def _red_remaining_amount(self):
        """What of this issued fapiao is not reversed yet by its red fapiao
        (issued or on their way; voided ones excepted), a positive total."""
        self.ensure_one()
        groups = (
            self.env["key.account.fapiao"]
            .sudo()
            ._read_group(
                [
                    ("origin_fapiao_id", "=", self.id),
                    ("kind", "=", "red"),
                    ("state", "!=", "voided"),
                    ("request_id.state", "!=", "cancelled"),
                ],
                [],
                ["amount_total:sum"],
            )
        )
        reversed_total = -(groups[0][0] or 0.0)
        return self.amount_total - reversed_total

    @api.model
    def _check_red_confirmation_number(self, fapiao_type, number):
        """A red 专票 needs the tax system's red-letter confirmation number;
        one given for another type must be well-formed too."""
        if (fapiao_type == "vat_special" or number) and not RED_CONFIRMATION.match(
            number or ""
        ):
            raise UserError(
                self.env._(
                    "A red 专票 needs the red-letter confirmation number "
                    "(红字确认单编号) of the tax system: 20 digits (or the 16 digits "
                    "of a legacy information sheet); %(number)s is not one.",
                    number=number or "-",
                )
            )


class KeyAccountFapiaoLine(models.Model):
    _inherit = "key.account.fapiao.line"

    def _key_account_insert(self, vals_list):
        """The request engine inserts lines in SQL: the fapiao state of
        their invoices is recomputed (in batch) all the same."""
        res = super()._key_account_insert(vals_list)
        Move = self.env["account.move"]
        moves = Move.browse(
            {vals["move_id"] for vals in vals_list if vals.get("move_id")}
        )
        if moves:
            moves.invalidate_recordset(["key_account_fapiao_line_ids"])
            for fname in ("key_account_fapiao_state", "key_account_fapiao_numbers"):
                self.env.add_to_compute(Move._fields[fname], moves)
        return res
