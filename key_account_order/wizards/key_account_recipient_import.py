# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..tools import recipient_parsing as rp

# Rows of one import at most, unless the system parameter
# key_account_order.import_max_rows says otherwise.
DEFAULT_MAX_ROWS = 20000


class KeyAccountRecipientImport(models.TransientModel):
    _name = "key.account.recipient.import"
    _description = "Import Key Account Recipients"

    order_id = fields.Many2one(
        comodel_name="sale.order",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="order_id.company_id")
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    file = fields.Binary(
        required=True,
        attachment=False,
        help="CSV (UTF-8 or GBK) or Excel (.xlsx) file laid out like the template.",
    )
    filename = fields.Char(string="File Name")
    order_allocation_count = fields.Integer(
        string="Current Allocations",
        compute="_compute_order_allocation_count",
    )
    order_has_allocations = fields.Boolean(compute="_compute_order_allocation_count")
    import_mode = fields.Selection(
        selection=[
            ("add", "Add to the current recipients"),
            ("replace", "Replace the current recipients"),
        ],
        string="Current Recipients",
        help="The order already has recipients. Add: the file's recipients "
        "are added to them (the quantities of a recipient already on the order "
        "are added up). Replace: the current recipients are removed from the "
        "order first, and the line quantities they made up with them.",
    )

    # The templates are static files, linked from the wizard's form:
    TEMPLATE_PATHS = (
        "key_account_order/static/import/key_account_recipients.xlsx",
        "key_account_order/static/import/key_account_recipients.csv",
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if (
            "order_id" in fields_list
            and not res.get("order_id")
            and context.get("active_model") == "sale.order"
            and context.get("active_id")
        ):
            res["order_id"] = context["active_id"]
        return res

    @api.depends("order_id")
    def _compute_order_allocation_count(self):
        counts = {}
        orders = self.order_id.filtered("id")
        if orders:
            counts = dict(
                self.env["key.account.allocation"]._read_group(
                    [("order_id", "in", orders.ids)],
                    groupby=["order_id"],
                    aggregates=["__count"],
                )
            )
        for wizard in self:
            count = counts.get(wizard.order_id, 0)
            wizard.order_allocation_count = count
            wizard.order_has_allocations = bool(count)

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _read_rows(self):
        """Return the file's rows as ``[(row_number, [text, ...]), ...]``,
        every cell NFKC-normalised. Row numbers are the ones a spreadsheet
        shows: the header is row 1."""
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose a CSV or Excel file to import."))
        data = base64.b64decode(self.file)
        filename = (self.filename or "").lower()
        if rp.is_xlsx(data, filename):
            try:
                return rp.read_xlsx(data)
            except ImportError as error:  # pragma: no cover
                raise UserError(
                    self.env._("Excel import needs the openpyxl library.")
                ) from error
            except Exception as error:
                raise UserError(
                    self.env._(
                        "The file could not be read as an Excel workbook "
                        "(%(error)s): save it as .xlsx or CSV and import it again.",
                        error=error,
                    )
                ) from error
        if filename.endswith(".xls"):
            raise UserError(
                self.env._(
                    "Old Excel files (.xls) are not supported: save the file as "
                    "Excel Workbook (.xlsx) or CSV and import it again."
                )
            )
        return rp.read_csv(data)

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    @api.model
    def _get_province_map(self):
        """Chinese provinces by full name, name without suffix, code (粤) and
        pinyin or English name."""
        states = (
            self.env["res.country.state"]
            .with_context(lang="zh_CN")
            .search([("country_id", "=", self.env.ref("base.cn").id)])
        )
        external_ids = states.get_external_id()
        return rp.province_map(
            (
                state.id,
                state.name,
                state.code,
                external_ids.get(state.id, "").rpartition("state_cn_")[2],
            )
            for state in states
        )

    def _get_product_map(self, references):
        """{internal reference: product id} of the saleable products of the
        order's company, found with one search; ``None`` marks a reference
        several products share."""
        products = self.env["product.product"].search_fetch(
            [
                ("default_code", "in", list(references)),
                ("sale_ok", "=", True),
                ("company_id", "in", [False, self.order_id.company_id.id]),
            ],
            ["default_code"],
        )
        product_map = {}
        for product in products:
            code = product.default_code
            product_map[code] = None if code in product_map else product.id
        return product_map

    def _get_product_rules(self, product_map):
        """``(allowed, whole units)`` of the products of ``product_map``:
        the ids the order's contract allows (None: the order has no
        contract, any saleable product goes) and the ids counted in whole
        units (a unit of measure rounded to 1 or more, e.g. Units)."""
        products = self.env["product.product"].browse(
            {product_id for product_id in product_map.values() if product_id}
        )
        contract = self.order_id.key_account_contract_id
        allowed = (
            set(contract._key_account_allowed_products(products).ids)
            if contract
            else None
        )
        unit = self.env.ref("uom.product_uom_unit", raise_if_not_found=False)
        whole_units = {
            product.id
            for product in products
            if product.uom_id == unit
            or float_compare(product.uom_id.rounding, 1.0, precision_digits=6) >= 0
        }
        return allowed, whole_units

    def _column_label(self, key):
        """The label of an import column in the user's language."""
        labels = {
            "name": self.env._("Name"),
            "phone": self.env._("Phone"),
            "province": self.env._("Province"),
            "city": self.env._("City"),
            "district": self.env._("District"),
            "street": self.env._("Street"),
            "department": self.env._("Department"),
            "branch": self.env._("Branch"),
            "product_ref": self.env._("Product Reference"),
            "quantity": self.env._("Quantity"),
        }
        return labels.get(key) or rp.column_label(key)

    def _parse(self):
        """Validate every row; return the parsed rows (dicts of
        ``recipient_parsing.parse_record`` with their ``row`` number) or raise
        one UserError listing every error with its row number."""
        self.ensure_one()
        rows = self._read_rows()
        if not rows or not any(rows[0][1]):
            raise UserError(
                self.env._(
                    "The file is empty: row 1 must be the header of the import "
                    "template, followed by one row per recipient."
                )
            )
        columns, missing = rp.map_header(rows[0][1])
        if missing:
            raise UserError(
                self.env._(
                    "Row 1 (header): the column(s) %(columns)s are missing. Use the "
                    "import template: its first row must name every column.",
                    columns=", ".join(self._column_label(key) for key in missing),
                )
            )
        records = rp.records(rows, columns)
        if not records:
            raise UserError(
                self.env._(
                    "The file has no recipient rows: add one row per recipient "
                    "below the header."
                )
            )
        max_rows = self._get_max_rows()
        if len(records) > max_rows:
            raise UserError(
                self.env._(
                    "The file has %(count)s recipient rows; one import takes at "
                    "most %(max)s, so that it finishes within a request. Split the "
                    "list into files of at most %(max)s rows and import them one "
                    'after the other with "Add to the current recipients".',
                    count=len(records),
                    max=max_rows,
                )
            )
        references = {values["product_ref"] for _number, values in records}
        products = self._get_product_map(references - {""})
        allowed, whole_units = self._get_product_rules(products)
        provinces = self._get_province_map()
        errors = []
        parsed = []
        for number, values in records:
            row, row_errors = rp.parse_record(
                values, provinces, products, allowed, whole_units
            )
            if row_errors:
                errors.extend(
                    self._error_message(number, code, params)
                    for code, params in row_errors
                )
            else:
                row["row"] = number
                parsed.append(row)
        if errors:
            raise UserError(
                self.env._(
                    "Nothing was imported. Correct these %(count)s error(s) in the "
                    "file and import it again:\n%(errors)s",
                    count=len(errors),
                    errors="\n".join(errors),
                )
            )
        return parsed

    @api.model
    def _get_max_rows(self):
        """Most rows one import takes (system parameter
        ``key_account_order.import_max_rows``): 10,000 new recipients import
        in about 15 s of CPU, far from Odoo's 60 s ``limit_time_cpu``."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("key_account_order.import_max_rows")
        )
        try:
            return int(value) if value else DEFAULT_MAX_ROWS
        except ValueError:
            return DEFAULT_MAX_ROWS

    def _error_message(self, row, code, params):
        """Translated message of a row error of ``parse_record``: the row, the
        column and how to correct it."""
        if code == "missing":
            return self.env._(
                "Row %(row)s: %(columns)s missing; fill in every required column.",
                row=row,
                columns=", ".join(self._column_label(key) for key in params["columns"]),
            )
        if code == "phone":
            return self.env._(
                'Row %(row)s: phone "%(phone)s" is not a valid number; enter a '
                "mobile number of 11 digits starting with 1 (e.g. 13800138000) "
                "or a landline with its area code (e.g. 010-65000000).",
                row=row,
                **params,
            )
        if code == "province":
            return self.env._(
                'Row %(row)s: unknown province "%(province)s"; enter a province '
                "of China by its Chinese or pinyin name, e.g. 广东省, 广东 or "
                "Guangdong.",
                row=row,
                **params,
            )
        if code == "product_ambiguous":
            return self.env._(
                'Row %(row)s: several products have the reference "%(ref)s"; '
                "give each saleable product a unique internal reference.",
                row=row,
                **params,
            )
        if code == "product_unknown":
            return self.env._(
                'Row %(row)s: no saleable product has the reference "%(ref)s" in '
                "%(company)s; use the internal reference of a product that can "
                "be sold.",
                row=row,
                company=self.order_id.company_id.name,
                **params,
            )
        if code == "product_not_allowed":
            contract = self.order_id.key_account_contract_id
            return self.env._(
                'Row %(row)s: the product "%(ref)s" is not part of contract '
                "%(contract)s of %(order)s; use the reference of a product of the "
                "contract (its catalog), or ask your account manager to add it.",
                row=row,
                contract=contract.name,
                order=self.order_id.name,
                **params,
            )
        if code == "quantity_whole":
            return self.env._(
                'Row %(row)s: quantity "%(quantity)s" of %(ref)s is not a whole '
                "number, and %(ref)s is counted in whole units; enter a whole "
                "number, e.g. 1 or 2.",
                row=row,
                **params,
            )
        if code == "quantity":
            return self.env._(
                'Row %(row)s: quantity "%(quantity)s" is not a positive number; '
                "enter how many units this recipient receives, e.g. 1.",
                row=row,
                **params,
            )
        raise ValueError(code)  # pragma: no cover - every code is handled above

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def _check_order(self):
        order = self.order_id
        if order.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "Recipients can only be imported into a quotation (adding to "
                    "or replacing its recipients): %(order)s is already confirmed "
                    "or cancelled. Change the recipients of a confirmed order on "
                    "its Recipients tab.",
                    order=order.name,
                )
            )
        if not order.partner_id.commercial_partner_id.is_key_account:
            raise UserError(
                self.env._(
                    "%(order)s is not an order of a key account: choose a key-account "
                    "customer before importing recipients.",
                    order=order.name,
                )
            )

    def _check_mode(self, allocations, checksum):
        """Refuse an import that would silently add to the order's
        allocations: the user chooses Add or Replace, and the same list is
        not added twice."""
        order = self.order_id
        if not allocations:
            return
        if self.import_mode != "replace" and (
            checksum in order._key_account_imported_checksums()
        ):
            # The same list again (a second click, two uploads at the same
            # moment): say so, whatever the mode chosen.
            self._raise_already_imported()
        if not self.import_mode:
            raise UserError(
                self.env._(
                    "%(order)s already has %(count)s recipient allocation(s): "
                    'choose whether the file is added to them ("Add to the current '
                    'recipients") or replaces them ("Replace the current '
                    'recipients"), then import again.',
                    order=order.name,
                    count=len(allocations),
                )
            )

    def _raise_already_imported(self):
        order = self.order_id
        raise UserError(
            self.env._(
                "The recipient list of %(file)s has already been imported into "
                "%(order)s: importing it again would double every quantity. "
                "To correct the recipients, import the corrected list with "
                '"Replace the current recipients"; to add other recipients, '
                "import a file with only those.",
                file=self.filename or self.env._("this file"),
                order=order.name,
            )
        )

    def action_import(self):
        self.ensure_one()
        self._check_order()
        rows = self._parse()
        checksum = rp.content_checksum(rows)
        order = self.order_id
        allocations = self.env["key.account.allocation"].search(
            [("order_id", "=", order.id)]
        )
        self._check_mode(allocations, checksum)
        replace = bool(allocations) and self.import_mode == "replace"
        emptied_lines = self._replace_allocations(allocations) if replace else None
        self._import_rows(rows)
        if emptied_lines:
            self._unlink_emptied_lines(emptied_lines)
        order._key_account_remember_import(checksum, reset=not allocations or replace)
        if replace:
            body = self.env._(
                "%(count)s recipient row(s) imported from %(file)s; the "
                "%(replaced)s previous recipient allocation(s) were replaced.",
                count=len(rows),
                file=self.filename or self.env._("a file"),
                replaced=len(allocations),
            )
        else:
            body = self.env._(
                "%(count)s recipient row(s) imported from %(file)s.",
                count=len(rows),
                file=self.filename or self.env._("a file"),
            )
        # A log line: no notification of the followers for a list import.
        order._message_log(body=body)
        return {"type": "ir.actions.act_window_close"}

    def _replace_allocations(self, allocations):
        """Remove ``allocations`` and the quantity they made up on their
        lines (what a line holds beyond its allocations stays). Returns the
        lines to remove if nothing is imported into them."""
        removed = defaultdict(float)
        for allocation in allocations:
            removed[allocation.order_line_id] += allocation.quantity
        allocations.unlink()
        by_quantity = defaultdict(lambda: self.env["sale.order.line"])
        emptied = self.env["sale.order.line"]
        for line, quantity in removed.items():
            rounding = line.product_uom.rounding
            left = line.product_uom_qty - quantity
            if float_compare(left, 0.0, precision_rounding=rounding) <= 0:
                left = 0.0
                emptied |= line
            by_quantity[left] |= line
        for quantity, lines in by_quantity.items():
            lines.write({"product_uom_qty": quantity})
        return emptied

    def _unlink_emptied_lines(self, lines):
        """Remove the lines the replaced recipients made up alone, unless the
        import put something back into them."""
        lines.filtered(
            lambda line: (
                float_is_zero(
                    line.product_uom_qty, precision_rounding=line.product_uom.rounding
                )
                and not line.key_account_allocation_ids
            )
        ).unlink()

    def _prepare_recipient_vals(self, row, country):
        return {
            "name": row["name"],
            "phone": row["phone"],
            "country_id": country.id,
            "state_id": row["state_id"],
            "city": row["city"],
            "key_account_district": row["district"] or False,
            "street": row["street"],
        }

    def _import_rows(self, rows):
        """Write recipients, lines and allocations in batches: a constant
        number of queries whatever the number of rows."""
        order = self.order_id
        customer = order.partner_id.commercial_partner_id
        china = self.env.ref("base.cn")
        recipients = self.env["res.partner"]._key_account_get_or_create_recipients(
            customer, [self._prepare_recipient_vals(row, china) for row in rows]
        )
        # Quantities per product and per (product, recipient, department, branch).
        product_qty = defaultdict(float)
        allocation_qty = defaultdict(float)
        for row, recipient_id in zip(rows, recipients.ids, strict=True):
            product_id = row["product_id"]
            product_qty[product_id] += row["quantity"]
            key = (product_id, recipient_id, row["department"], row["branch"])
            allocation_qty[key] += row["quantity"]

        lines_by_product = {}
        for line in order.order_line:
            if line.product_id and not line.display_type:
                lines_by_product.setdefault(line.product_id.id, line)
        new_products = [p for p in product_qty if p not in lines_by_product]
        if new_products:
            order.write(
                {
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product_id,
                                "product_uom_qty": product_qty[product_id],
                            }
                        )
                        for product_id in new_products
                    ]
                }
            )
            for line in order.order_line:
                if line.product_id.id in new_products:
                    lines_by_product.setdefault(line.product_id.id, line)

        # Merge into allocations the order already has for the same recipient.
        Allocation = self.env["key.account.allocation"]
        existing = {}
        for allocation in Allocation.search([("order_id", "=", order.id)]):
            key = (
                allocation.product_id.id,
                allocation.recipient_id.id,
                allocation.department or "",
                allocation.branch or "",
            )
            if allocation.order_line_id == lines_by_product.get(key[0]):
                existing.setdefault(key, allocation)
        to_update = defaultdict(list)  # new quantity: allocation ids
        create_vals = []
        for key, quantity in allocation_qty.items():
            product_id, recipient_id, department, branch = key
            allocation = existing.get(key)
            if allocation:
                to_update[allocation.quantity + quantity].append(allocation.id)
                continue
            create_vals.append(
                {
                    "order_id": order.id,
                    "order_line_id": lines_by_product[product_id].id,
                    "recipient_id": recipient_id,
                    "quantity": quantity,
                    "department": department or False,
                    "branch": branch or False,
                }
            )
        # Line quantities first, then allocations, so that they add up.
        line_updates = defaultdict(lambda: self.env["sale.order.line"])
        for product_id, quantity in product_qty.items():
            if product_id in new_products:
                continue
            line = lines_by_product[product_id]
            line_updates[line.product_uom_qty + quantity] |= line
        for quantity, lines in line_updates.items():
            lines.write({"product_uom_qty": quantity})
        for quantity, allocation_ids in to_update.items():
            Allocation.browse(allocation_ids).write({"quantity": quantity})
        if create_vals:
            Allocation.create(create_vals)
        return recipients
