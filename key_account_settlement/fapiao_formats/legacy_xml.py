# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Legacy tax-control software (税控开票软件, 金税盘/税控盘) document import:
XML ``<Kp><Version>2.0</Version><Fpxx><Zsl>…<Fpsj><Fp><Djh>…<Spxx><Sph>…``,
GBK encoded, one ``<Fp>`` per fapiao (Djh = the serial number), one
``<Sph>`` per line, a discount line as a negative ``<Sph>`` right after the
line it discounts. Version: see README, Fapiao formats. To adapt, change
the element maps below (tag, key of the exported row or a function of it)."""

from xml.etree import ElementTree

from .common import detail_rows, value

FORMAT_VERSION = "2.0"
# The version of the tax classification code table the software expects
# (商品编码版本号, shown in its 商品编码 module): set it to yours.
TAX_CODE_TABLE_VERSION = "33.0"
DISCOUNT_AS_COLUMN = False


def _money(key):
    return lambda row: f"{row[key]:.2f}"


def _remark(fapiao):
    """备注: a red fapiao names what it reverses as the software requires."""
    parts = [fapiao["remark"]] if fapiao["remark"] else []
    if fapiao["kind"] == "red" and fapiao["red_confirmation_number"]:
        parts.insert(
            0, f"开具红字增值税专用发票信息表编号{fapiao['red_confirmation_number']}"
        )
    elif fapiao["kind"] == "red" and fapiao["origin_fapiao_number"]:
        parts.insert(0, f"对应正数发票号码:{fapiao['origin_fapiao_number']}")
    return "\n".join(parts)


def _zero_rate_flag(line):
    if line["tax_rate"]:
        return ""
    return "1" if line["preferential"] else "3"


FAPIAO_ELEMENTS = (
    ("Djh", "serial"),
    ("Gfmc", "buyer_title"),
    ("Gfsh", "buyer_tax_id"),
    ("Gfyhzh", "buyer_bank_account"),
    ("Gfdzdh", "buyer_address_phone"),
    ("Bz", _remark),
    ("Fhr", lambda f: ""),
    ("Skr", lambda f: ""),
    ("Spbmbbh", lambda f: TAX_CODE_TABLE_VERSION),
    ("Hsbz", lambda f: "0"),  # 0: amounts without tax
)

LINE_ELEMENTS = (
    ("Xh", "position"),
    ("Spmc", "item_name"),
    ("Ggxh", "spec"),
    ("Jldw", "uom_name"),
    ("Spbm", "tax_code"),
    ("Qyspbm", lambda line: ""),
    ("Syyhzcbz", lambda line: "1" if line["preferential"] else "0"),
    # 零税率标识: empty for a non-zero rate, 1 exempt (免税, under a
    # preferential policy), 3 ordinary zero rate
    ("Lslbz", _zero_rate_flag),
    ("Yhzcsm", "preferential_note"),
    ("Dj", lambda line: "" if line["is_discount"] else f"{line['price_unit']:.8f}"),
    ("Sl", lambda line: "" if line["is_discount"] else f"{line['quantity']:.6f}"),
    ("Je", _money("amount_untaxed")),
    ("Slv", lambda line: f"{line['tax_rate']:g}"),
    ("Se", _money("amount_tax")),
    ("Kce", lambda line: ""),
)


def _append(parent, tag, text):
    element = ElementTree.SubElement(parent, tag)
    element.text = str(text) if text not in (None, False) else ""
    return element


def render(data):
    """The GBK-encoded XML document of the fapiao ``data``."""
    root = ElementTree.Element("Kp")
    _append(root, "Version", FORMAT_VERSION)
    info = ElementTree.SubElement(root, "Fpxx")
    _append(info, "Zsl", len(data))
    documents = ElementTree.SubElement(info, "Fpsj")
    for fapiao in data:
        document = ElementTree.SubElement(documents, "Fp")
        for tag, source in FAPIAO_ELEMENTS:
            _append(document, tag, value(fapiao, source))
        goods = ElementTree.SubElement(document, "Spxx")
        rows = detail_rows(fapiao, DISCOUNT_AS_COLUMN)
        for position, line in enumerate(rows, start=1):
            line = dict(line, position=position)
            item = ElementTree.SubElement(goods, "Sph")
            for tag, source in LINE_ELEMENTS:
                _append(item, tag, value(line, source))
    content = ElementTree.tostring(root, encoding="GBK", xml_declaration=True)
    return content, "xml", "application/xml"
