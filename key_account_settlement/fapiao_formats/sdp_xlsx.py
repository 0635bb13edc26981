# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""数电票 batch issuance: the e-tax bureau's (电子税务局, 全国统一规范电子
发票服务平台) batch template, XLSX, a fapiao header sheet and a detail sheet
joined by the serial number (发票流水号). Template version: see README,
Fapiao formats. To adapt to a new template, change the column maps below
(header title, key of the exported row or a function of it)."""

import io

import xlsxwriter

from .common import amount, detail_rows, value

TEMPLATE_VERSION = "电子发票服务平台 批量开具模板 (2024)"
HEADER_SHEET = "发票基本信息"
DETAIL_SHEET = "发票明细信息"
FAPIAO_TYPE_LABELS = {
    "vat_special": "增值税专用发票",
    "vat_ordinary": "普通发票",
    "electronic": "普通发票",
}
# A discount line goes in 折扣金额 of the line it discounts (金额 and 税额 of
# that row are before the discount; the platform computes the discount's
# tax as 折扣金额 × 税率, which is how the discount lines' tax is computed).
DISCOUNT_AS_COLUMN = True

HEADER_COLUMNS = (
    ("发票流水号", "serial"),
    ("发票类型", lambda f: FAPIAO_TYPE_LABELS[f["fapiao_type"]]),
    ("特定业务类型", lambda f: ""),
    ("是否含税", lambda f: "否"),
    ("购买方名称", "buyer_title"),
    ("购买方纳税人识别号", "buyer_tax_id"),
    ("购买方地址", "buyer_address"),
    ("电话", "buyer_phone"),
    ("购买方开户银行", "buyer_bank"),
    ("银行账号", "buyer_account"),
    ("备注", "remark"),
    # red fapiao (红字发票), filled for red fapiao only
    ("原发票号码", "origin_fapiao_number"),
    ("红字确认单编号", "red_confirmation_number"),
)

DETAIL_COLUMNS = (
    ("发票流水号", "serial"),
    ("项目名称", "item_name"),
    ("商品和服务税收分类编码", "tax_code"),
    ("规格型号", "spec"),
    ("单位", "uom_name"),
    ("数量", lambda line: round(line["quantity"], 6) or ""),
    ("单价", lambda line: round(line["price_unit"], 8) or ""),
    ("金额", amount("amount_untaxed")),
    ("税率", "tax_rate"),
    ("税额", amount("amount_tax")),
    ("折扣金额", lambda line: round(line["discount_amount"], 2) or ""),
    ("优惠政策标识", lambda line: "是" if line["preferential"] else "否"),
    ("优惠政策类型", "preferential_note"),
)


def _sheet(workbook, name, columns, rows, bold):
    sheet = workbook.add_worksheet(name)
    for col, (title, _source) in enumerate(columns):
        sheet.write_string(0, col, title, bold)
        sheet.set_column(col, col, max(12, len(title) * 2))
    for row_index, row in enumerate(rows, start=1):
        for col, (_title, source) in enumerate(columns):
            cell = value(row, source)
            if isinstance(cell, int | float) and not isinstance(cell, bool):
                sheet.write_number(row_index, col, cell)
            else:
                sheet.write_string(row_index, col, str(cell))


def render(data):
    """The workbook of the fapiao ``data`` (see common.value)."""
    stream = io.BytesIO()
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    _sheet(workbook, HEADER_SHEET, HEADER_COLUMNS, data, bold)
    details = [
        line for fapiao in data for line in detail_rows(fapiao, DISCOUNT_AS_COLUMN)
    ]
    _sheet(workbook, DETAIL_SHEET, DETAIL_COLUMNS, details, bold)
    workbook.close()
    return (
        stream.getvalue(),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
