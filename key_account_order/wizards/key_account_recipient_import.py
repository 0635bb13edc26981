# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import csv
import io
import re
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

try:
    import openpyxl
except ImportError:  # pragma: no cover - openpyxl is an Odoo requirement
    openpyxl = None

# Column key -> accepted header spellings (compared once normalised, see
# ``_normalise_header``). The first one is the English label shown in errors.
IMPORT_COLUMNS = {
    "name": ("Name", "recipient", "recipient name", "姓名", "收件人", "收货人"),
    "phone": ("Phone", "mobile", "telephone", "手机", "手机号", "手机号码", "电话"),
    "province": ("Province", "state", "省", "省份"),
    "city": ("City", "市", "城市"),
    "district": ("District", "区", "区县", "县区"),
    "street": ("Street", "address", "详细地址", "地址", "街道地址"),
    "department": ("Department", "部门"),
    "branch": ("Branch", "分支机构", "分公司"),
    "product_ref": (
        "Product Reference",
        "product ref",
        "reference",
        "internal reference",
        "default_code",
        "商品编码",
        "产品编码",
    ),
    "quantity": ("Quantity", "qty", "数量"),
}
REQUIRED_COLUMNS = ("name", "phone", "province", "city", "street", "product_ref")
REQUIRED_COLUMNS += ("quantity",)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code (0 + 2 or 3 digits) and a 7 or 8 digit number, optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}\d{7,8}$")
PHONE_SEPARATORS_RE = re.compile(r"[\s\-()（）]")
PROVINCE_SUFFIX_RE = re.compile(
    r"(壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市)$"
)
# The same suffixes written in pinyin or English, once lowercased and
# stripped of everything but letters ("Guangdong Province", "Beijing Shi").
LATIN_PROVINCE_SUFFIX_RE = re.compile(
    r"(specialadministrativeregion|(zhuang|hui|uygur|uyghur)?autonomousregion"
    r"|zizhiqu|province|municipality|sheng|shi|sar)$"
)
# Pinyin and English names of China's provinces, by the suffix of their
# external id in base (base.state_cn_GD...): Odoo names them in Chinese only.
PROVINCE_LATIN_NAMES = {
    "BJ": ("Beijing", "Peking"),
    "SH": ("Shanghai",),
    "TJ": ("Tianjin",),
    "CQ": ("Chongqing",),
    "HE": ("Hebei",),
    "SX": ("Shanxi",),
    "NM": ("Inner Mongolia", "Nei Mongol", "Neimenggu"),
    "LN": ("Liaoning",),
    "JL": ("Jilin",),
    "HL": ("Heilongjiang",),
    "JS": ("Jiangsu",),
    "ZJ": ("Zhejiang",),
    "AH": ("Anhui",),
    "FJ": ("Fujian",),
    "JX": ("Jiangxi",),
    "SD": ("Shandong",),
    "HA": ("Henan",),
    "HB": ("Hubei",),
    "HN": ("Hunan",),
    "GD": ("Guangdong",),
    "GX": ("Guangxi",),
    "HI": ("Hainan",),
    "SC": ("Sichuan",),
    "GZ": ("Guizhou",),
    "YN": ("Yunnan",),
    "XZ": ("Tibet", "Xizang"),
    "SN": ("Shaanxi",),
    "GS": ("Gansu",),
    "QH": ("Qinghai",),
    "NX": ("Ningxia",),
    "XJ": ("Xinjiang",),
    "TW": ("Taiwan",),
    "HK": ("Hong Kong", "Xianggang"),
    "MO": ("Macau", "Macao", "Aomen"),
}


def _normalise_header(value):
    return re.sub(r"[\s_*:：\-]", "", (value or "").lower())


HEADER_ALIASES = {
    _normalise_header(alias): key
    for key, aliases in IMPORT_COLUMNS.items()
    for alias in aliases
}


def normalise_phone(value):
    """Return the digits of a Chinese mobile or landline number, or ``False``.

    Accepts ``+86`` / ``0086`` / ``86`` prefixes, spaces, dashes and
    parentheses: ``+86 138-0013-8000`` -> ``13800138000``,
    ``(010) 6500-0000`` -> ``01065000000``.
    """
    phone = PHONE_SEPARATORS_RE.sub("", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    elif phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    if MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return phone
    # Landline written with its country code drops the area code's 0.
    if LANDLINE_RE.match("0" + phone) and value.strip().startswith(("+86", "0086")):
        return "0" + phone
    return False


def normalise_province(value):
    """Province name without spaces and administrative suffix: 广东省 and
    广东 give 广东; Guangdong Province and guang dong give guangdong."""
    value = re.sub(r"\s", "", value or "")
    if value.isascii():
        value = re.sub(r"[^a-z]", "", value.lower())
        return LATIN_PROVINCE_SUFFIX_RE.sub("", value) or value
    return PROVINCE_SUFFIX_RE.sub("", value) or value


def parse_quantity(value):
    """Positive quantity of ``value`` ("1", "1,000", "2.5"), else 0."""
    try:
        quantity = float((value or "").replace(",", ""))
    except ValueError:
        return 0.0
    return quantity if quantity > 0 else 0.0


def cell_to_text(value):
    """Spreadsheet cell -> stripped text (``13800138000.0`` -> ``13800138000``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


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

    # The templates are static files, linked from the wizard's form:
    TEMPLATE_PATHS = (
        "key_account_order/static/import/key_account_recipients.xlsx",
        "key_account_order/static/import/key_account_recipients.csv",
    )

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _read_rows(self):
        """Return the file's rows as ``[(row_number, [text, ...]), ...]``.

        Row numbers are the ones a spreadsheet shows: the header is row 1.
        """
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose a CSV or Excel file to import."))
        data = base64.b64decode(self.file)
        filename = (self.filename or "").lower()
        if filename.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
            return self._read_xlsx(data)
        if filename.endswith(".xls"):
            raise UserError(
                self.env._(
                    "Old Excel files (.xls) are not supported: save the file as "
                    "Excel Workbook (.xlsx) or CSV and import it again."
                )
            )
        return self._read_csv(data)

    def _read_csv(self, data):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte string
            raise UserError(
                self.env._("The file is neither UTF-8 nor GBK text: save it as CSV.")
            )
        first_line = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first_line.count)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [
            (number, [cell.strip() for cell in row])
            for number, row in enumerate(reader, start=1)
        ]

    def _read_xlsx(self, data):
        if openpyxl is None:  # pragma: no cover
            raise UserError(self.env._("Excel import needs the openpyxl library."))
        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True
            )
        except Exception as error:
            raise UserError(
                self.env._(
                    "The file could not be read as an Excel workbook (%(error)s): "
                    "save it as .xlsx or CSV and import it again.",
                    error=error,
                )
            ) from error
        try:
            sheet = workbook.worksheets[0]
            return [
                (number, [cell_to_text(value) for value in row])
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
        finally:
            workbook.close()

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    def _map_header(self, header):
        """Map column keys to their index in the file."""
        columns = {}
        for index, title in enumerate(header):
            key = HEADER_ALIASES.get(_normalise_header(title))
            if not key:
                # "姓名/Name", "姓名 (Name)": try each part of a bilingual title.
                for part in re.split(r"[/|()（）]", title or ""):
                    key = HEADER_ALIASES.get(_normalise_header(part))
                    if key:
                        break
            if key and key not in columns:
                columns[key] = index
        missing = [key for key in REQUIRED_COLUMNS if key not in columns]
        if missing:
            raise UserError(
                self.env._(
                    "Row 1 (header): the column(s) %(columns)s are missing. Use the "
                    "import template: its first row must name every column.",
                    columns=", ".join(IMPORT_COLUMNS[key][0] for key in missing),
                )
            )
        return columns

    @api.model
    def _get_province_map(self):
        """Chinese provinces by full name, name without suffix, code (粤) and
        pinyin or English name."""
        china = self.env.ref("base.cn")
        provinces = {}
        states = (
            self.env["res.country.state"]
            .with_context(lang="zh_CN")
            .search([("country_id", "=", china.id)])
        )
        external_ids = states.get_external_id()
        for state in states:
            for key in (state.name, normalise_province(state.name), state.code):
                provinces.setdefault(key, state.id)
                provinces.setdefault(key.lower(), state.id)
            suffix = external_ids.get(state.id, "").rpartition("state_cn_")[2]
            for name in PROVINCE_LATIN_NAMES.get(suffix, ()):
                provinces.setdefault(normalise_province(name), state.id)
        return provinces

    def _get_product_map(self, references):
        """Saleable products of the order's company by internal reference.

        One search for all references. ``None`` marks an ambiguous reference.
        """
        products = self.env["product.product"].search(
            [
                ("default_code", "in", list(references)),
                ("sale_ok", "=", True),
                ("company_id", "in", [False, self.order_id.company_id.id]),
            ]
        )
        product_map = {}
        for product in products:
            code = product.default_code
            product_map[code] = None if code in product_map else product
        return product_map

    def _parse(self):
        """Validate every row; return the parsed rows or raise one UserError
        listing every error with its row number."""
        self.ensure_one()
        rows = self._read_rows()
        if not rows or not any(rows[0][1]):
            raise UserError(
                self.env._(
                    "The file is empty: row 1 must be the header of the import "
                    "template, followed by one row per recipient."
                )
            )
        columns = self._map_header(rows[0][1])
        raw = []
        for number, cells in rows[1:]:
            if not any(cells):
                continue
            values = {
                key: cells[index] if index < len(cells) else ""
                for key, index in columns.items()
            }
            raw.append((number, values))
        if not raw:
            raise UserError(
                self.env._(
                    "The file has no recipient rows: add one row per recipient "
                    "below the header."
                )
            )
        references = {values["product_ref"] for _n, values in raw}
        context = {
            "products": self._get_product_map(references - {""}),
            "provinces": self._get_province_map(),
            "company": self.order_id.company_id,
        }
        errors = []
        parsed = []
        for number, values in raw:
            row, row_errors = self._validate_row(number, values, context)
            errors.extend(row_errors)
            if not row_errors:
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

    def _validate_row(self, number, values, context):
        """Return ``(parsed row, errors)`` of one file row."""
        errors = []
        missing = [
            IMPORT_COLUMNS[key][0] for key in REQUIRED_COLUMNS if not values[key]
        ]
        if missing:
            errors.append(
                self.env._(
                    "Row %(row)s: %(columns)s missing; fill in every required column.",
                    row=number,
                    columns=", ".join(missing),
                )
            )
        phone = values["phone"] and normalise_phone(values["phone"])
        if values["phone"] and not phone:
            errors.append(
                self.env._(
                    'Row %(row)s: phone "%(phone)s" is not a valid number; enter a '
                    "mobile number of 11 digits starting with 1 (e.g. 13800138000) "
                    "or a landline with its area code (e.g. 010-65000000).",
                    row=number,
                    phone=values["phone"],
                )
            )
        province = values["province"]
        provinces = context["provinces"]
        state_id = province and (
            provinces.get(province)
            or provinces.get(normalise_province(province).lower())
        )
        if province and not state_id:
            errors.append(
                self.env._(
                    'Row %(row)s: unknown province "%(province)s"; enter a province '
                    "of China by its Chinese or pinyin name, e.g. 广东省, 广东 or "
                    "Guangdong.",
                    row=number,
                    province=province,
                )
            )
        reference = values["product_ref"]
        product = reference and context["products"].get(reference, False)
        if reference and product is None:
            errors.append(
                self.env._(
                    'Row %(row)s: several products have the reference "%(ref)s"; '
                    "give each saleable product a unique internal reference.",
                    row=number,
                    ref=reference,
                )
            )
        elif reference and not product:
            errors.append(
                self.env._(
                    'Row %(row)s: no saleable product has the reference "%(ref)s" in '
                    "%(company)s; use the internal reference of a product that can "
                    "be sold.",
                    row=number,
                    ref=reference,
                    company=context["company"].name,
                )
            )
        quantity = parse_quantity(values["quantity"])
        if values["quantity"] and not quantity:
            errors.append(
                self.env._(
                    'Row %(row)s: quantity "%(quantity)s" is not a positive number; '
                    "enter how many units this recipient receives, e.g. 1.",
                    row=number,
                    quantity=values["quantity"],
                )
            )
        row = {
            "row": number,
            "name": values["name"],
            "phone": phone,
            "state_id": state_id,
            "city": values["city"],
            "district": values.get("district", ""),
            "street": values["street"],
            "department": values.get("department", ""),
            "branch": values.get("branch", ""),
            "product": product,
            "quantity": quantity,
        }
        return row, errors

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def _check_order(self):
        order = self.order_id
        if order.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "Recipients can only be imported into a quotation: %(order)s is "
                    "already confirmed or cancelled.",
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

    def action_import(self):
        self.ensure_one()
        self._check_order()
        rows = self._parse()
        self._import_rows(rows)
        order = self.order_id
        order.message_post(
            body=self.env._(
                "%(count)s recipient row(s) imported from %(file)s.",
                count=len(rows),
                file=self.filename or self.env._("a file"),
            )
        )
        return {"type": "ir.actions.act_window_close"}

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
        for row, recipient in zip(rows, recipients, strict=True):
            product = row["product"]
            product_qty[product] += row["quantity"]
            key = (product.id, recipient.id, row["department"], row["branch"])
            allocation_qty[key] += row["quantity"]

        lines_by_product = {}
        for line in order.order_line:
            if line.product_id and not line.display_type:
                lines_by_product.setdefault(line.product_id.id, line)
        new_products = [p for p in product_qty if p.id not in lines_by_product]
        if new_products:
            order.write(
                {
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": product_qty[product],
                            }
                        )
                        for product in new_products
                    ]
                }
            )
            for line in order.order_line:
                if line.product_id in new_products:
                    lines_by_product.setdefault(line.product_id.id, line)

        # Merge into allocations the order already has for the same recipient.
        Allocation = self.env["key.account.allocation"]
        existing = {}
        for allocation in Allocation.search([("order_id", "=", order.id)]):
            key = (
                allocation.order_line_id.product_id.id,
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
        for product, quantity in product_qty.items():
            if product in new_products:
                continue
            line = lines_by_product[product.id]
            line_updates[line.product_uom_qty + quantity] |= line
        for quantity, lines in line_updates.items():
            lines.write({"product_uom_qty": quantity})
        for quantity, allocation_ids in to_update.items():
            Allocation.browse(allocation_ids).write({"quantity": quantity})
        if create_vals:
            Allocation.create(create_vals)
        return recipients
