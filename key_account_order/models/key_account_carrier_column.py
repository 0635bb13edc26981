# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import unicodedata

from odoo import Command, api, fields, models

COLUMN_KEYS = [
    ("recipient_name", "Recipient Name"),
    ("phone", "Phone"),
    ("province", "Province"),
    ("city", "City"),
    ("district", "District"),
    ("street", "Street"),
    ("goods", "Goods"),
    ("parcel_count", "Parcel Count"),
    ("reference", "Our Reference"),
    ("note", "Note"),
    ("waybill_number", "Waybill Number"),
]

# Preset layouts: (key, header, aliases recognised on import).
LAYOUTS = {
    "sf": [
        ("recipient_name", "收件人", "收件人姓名,收件人名称,收方姓名"),
        ("phone", "收件人电话/手机", "收件人电话,收件人手机,收方电话,手机,电话"),
        ("province", "省", "收件省,省份"),
        ("city", "市", "收件市,城市"),
        ("district", "区", "收件区,区县"),
        ("street", "详细地址", "收件详细地址,收件地址,地址"),
        ("goods", "托寄物", "托寄物内容,物品"),
        ("parcel_count", "件数", "包裹数"),
        ("reference", "客户订单号", "客户单号,订单号"),
        ("note", "备注", ""),
        ("waybill_number", "运单号", "运单号码,顺丰单号,母单号"),
    ],
    "generic": [
        ("recipient_name", "收件人", "Recipient,Recipient Name,Name,收件人姓名"),
        ("phone", "电话", "Phone,Mobile,手机,收件人电话"),
        ("province", "省", "Province,State,省份"),
        ("city", "市", "City,城市"),
        ("district", "区", "District,区县"),
        ("street", "详细地址", "Street,Address,地址"),
        ("goods", "托寄物", "Goods,Contents,物品"),
        ("parcel_count", "件数", "Parcels,Parcel Count,Quantity"),
        (
            "reference",
            "客户单号",
            "Reference,Order Reference,Customer Reference,客户订单号",
        ),
        ("note", "备注", "Note,Remark"),
        (
            "waybill_number",
            "运单号",
            "Waybill,Waybill Number,Tracking Number,Tracking No,运单号码",
        ),
    ],
}


def normalise_header(text):
    """A header as compared on import: full-width folded, case and blanks
    ignored."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(text.split()).casefold()


class KeyAccountCarrierColumn(models.Model):
    """One column of a courier's bulk-order spreadsheet (and of the waybill
    file it returns). Columns without a carrier form the generic layout."""

    _name = "key.account.carrier.column"
    _description = "Courier File Column"
    _order = "carrier_id, sequence, id"

    carrier_id = fields.Many2one(
        comodel_name="delivery.carrier",
        ondelete="cascade",
        index=True,
        help="Empty: a column of the generic layout.",
    )
    sequence = fields.Integer(default=10)
    header = fields.Char(required=True, help="The column's header in the file.")
    key = fields.Selection(
        selection=COLUMN_KEYS, string="Column Content", required=True
    )
    aliases = fields.Char(
        help="Other headers recognised for this column in an imported file, "
        "separated by commas.",
    )

    def _key_account_header_names(self):
        self.ensure_one()
        names = {normalise_header(self.header)}
        names.update(
            normalise_header(alias)
            for alias in (self.aliases or "").replace("，", ",").split(",")
            if alias.strip()
        )
        return names

    @api.model
    def _key_account_load_layout(self, carriers, layout):
        columns = LAYOUTS[layout]
        for carrier in carriers:
            carrier.key_account_column_ids = [Command.clear()] + [
                Command.create(
                    {
                        "sequence": index * 10,
                        "key": key,
                        "header": header,
                        "aliases": aliases,
                    }
                )
                for index, (key, header, aliases) in enumerate(columns, start=1)
            ]

    @api.model
    def _key_account_recognised_headers(self, carrier=None):
        """{normalised header: column key} of the carrier's map, then of every
        map (generic first): a file from any courier is read."""
        columns = self.search([])
        if carrier:
            columns = carrier._key_account_columns() | columns
        known = {}
        for key, header, aliases in LAYOUTS["generic"] + LAYOUTS["sf"]:
            for name in [header, *aliases.split(",")]:
                if name:
                    known.setdefault(normalise_header(name), key)
        recognised = {}
        for column in columns:
            for name in column._key_account_header_names():
                recognised.setdefault(name, column.key)
        for name, key in known.items():
            recognised.setdefault(name, key)
        return recognised
