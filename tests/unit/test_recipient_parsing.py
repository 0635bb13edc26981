# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Unit tests of key_account_order/tools/recipient_parsing.py: no database.

python3 -m pytest tests/unit -p no:cacheprovider
"""

import ast
import importlib.util
import io
from pathlib import Path

import openpyxl
import pytest

MODULE_PATH = (
    Path(__file__).resolve().parents[2]
    / "key_account_order"
    / "tools"
    / "recipient_parsing.py"
)
# Loaded from its file: importing the addon package would import Odoo.
_spec = importlib.util.spec_from_file_location("recipient_parsing", MODULE_PATH)
rp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rp)


def test_module_is_pure():
    """The parsing helpers import no Odoo module."""
    tree = ast.parse(MODULE_PATH.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert not {name for name in imported if name.split(".")[0] == "odoo"}


# ----------------------------------------------------------------------
# Phones
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, expected",
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086-138-0013-8001", "13800138001"),
        ("8613800138000", "13800138000"),
        ("19912345678", "19912345678"),
        # Finding 8: full-width digits, as Chinese spreadsheets hold them.
        ("１３８００１３８００１", "13800138001"),
        ("＋８６ １３８－００１３－８０００", "13800138000"),
        ("010-65000000", "01065000000"),
        ("(010) 6500-0000", "01065000000"),
        ("（０１０）６５００００００", "01065000000"),
        ("+86 10 6500 0000", "01065000000"),
        ("0086 10 65000000", "01065000000"),
        ("(0755) 8888 6666", "075588886666"),
        ("0571-87654321", "057187654321"),
        # An Excel number cell loses the area code's 0.
        ("1065000000", "01065000000"),
        # Extensions, only on landlines.
        ("010-65000000-8001", "01065000000-8001"),
        ("010-65000000 转 8001", "01065000000-8001"),
        ("010-65000000分机8001", "01065000000-8001"),
        ("010 6500 0000 ext. 8001", "01065000000-8001"),
        ("010-65000000#8001", "01065000000-8001"),
        # Other countries, with their country code.
        ("+852 9123 4567", "+85291234567"),
        ("00852 91234567", "+85291234567"),
    ],
)
def test_normalise_phone(value, expected):
    assert rp.normalise_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        False,
        "12345",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "65000000",  # landline without area code
        "010-6500000",
        "4008001234",  # service number, not a person
        "95588",
        "13800138000 转 8001",  # mobiles have no extension
        "138-0013-800",
        "not a phone",
        "13800138000.0",
    ],
)
def test_normalise_phone_refuses(value):
    assert rp.normalise_phone(value) is False


@pytest.mark.parametrize(
    "value",
    ["+86 138-0013-8000", "(010) 6500-0000", "010-65000000转8001", "+852 9123 4567"],
)
def test_normalise_phone_is_idempotent(value):
    once = rp.normalise_phone(value)
    assert once
    assert rp.normalise_phone(once) == once


def test_phone_key_keeps_digits_of_invalid_numbers():
    assert rp.phone_key("+86 138 0013 8000") == "13800138000"
    assert rp.phone_key("分机 12-34") == "1234"
    assert rp.phone_key(None) == ""


# ----------------------------------------------------------------------
# Recipient key (finding 3)
# ----------------------------------------------------------------------
def _key(name="张三", phone="010-65000000", street="建国路 88 号", **address):
    return rp.recipient_key(
        name,
        phone,
        address.get("state_id", 1),
        address.get("city", "北京市"),
        address.get("district", "朝阳区"),
        street,
        address.get("street2"),
    )


def test_recipient_key_tells_colleagues_apart():
    """Two colleagues with the same switchboard and the same office address
    are two recipients."""
    assert _key("张三") != _key("李四")


def test_recipient_key_same_person_written_differently():
    assert _key() == _key(
        name=" 张 三 ", phone="+86 10 6500 0000", street="建国路８８号"
    )
    assert _key(name="Zhang San") == _key(name="ZHANG  SAN")


def test_recipient_key_address_and_phone_matter():
    assert _key() != _key(phone="13800138000")
    assert _key() != _key(street="建国路 89 号")
    assert _key() != _key(state_id=2)
    assert _key() != _key(district="东城区")


def test_recipient_key_versioned_and_unambiguous():
    key = _key()
    assert key.startswith(rp.RECIPIENT_KEY_VERSION + "|")
    # A separator inside a value cannot shift the other parts.
    assert _key(name="a|b", street="c") != _key(name="a", street="b|c")


# ----------------------------------------------------------------------
# Provinces, quantities, cells
# ----------------------------------------------------------------------
PROVINCES = rp.province_map(
    [
        (1, "广东省", "GD", "GD"),
        (2, "上海市", "SH", "SH"),
        (3, "内蒙古自治区", "NM", "NM"),
        (4, "香港特别行政区", "HK", "HK"),
    ]
)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("广东省", 1),
        ("广东", 1),
        ("Guangdong Province", 1),
        ("guang dong", 1),
        ("ＧＵＡＮＧＤＯＮＧ", 1),
        ("SHANGHAI", 2),
        ("上海", 2),
        ("Inner Mongolia Autonomous Region", 3),
        ("Hong Kong SAR", 4),
        ("火星省", None),
        ("", None),
    ],
)
def test_find_province(value, expected):
    assert rp.find_province(PROVINCES, value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1", 1.0),
        ("1,000", 1000.0),
        ("2.5", 2.5),
        ("１０", 10.0),  # full-width digits
        ("１，０００", 1000.0),
        (" 3 ", 3.0),
        ("0", 0.0),
        ("-2", 0.0),
        ("two", 0.0),
        ("nan", 0.0),
        ("inf", 0.0),
        ("", 0.0),
    ],
)
def test_parse_quantity(value, expected):
    assert rp.parse_quantity(value) == expected


def test_cell_to_text():
    assert rp.cell_to_text(13800138000.0) == "13800138000"
    assert rp.cell_to_text(2.5) == "2.5"
    assert rp.cell_to_text(None) == ""
    assert rp.cell_to_text("　张三　") == "张三"  # ideographic spaces


# ----------------------------------------------------------------------
# Files and rows
# ----------------------------------------------------------------------
HEADER = (
    "姓名/Name,手机/Phone,省/Province,市/City,区/District,详细地址/Street,"
    "部门,分支机构,商品编码,数量"
)


def test_read_csv_utf8_and_gbk_and_full_width():
    row = "张三,１３８００１３８０００,广东,深圳,南山,科苑路 1 号,,,ＫＡ－１,１"
    text = f"{HEADER}\n{row}\n"
    for encoding in ("utf-8", "utf-8-sig", "gbk"):
        rows = rp.read_csv(text.encode(encoding))
        assert rows[1][0] == 2
        assert rows[1][1][1] == "13800138000"
        assert rows[1][1][8] == "KA-1"


def test_read_csv_semicolon():
    rows = rp.read_csv("姓名;手机\n张三;13800138000\n".encode())
    assert rows[1][1] == ["张三", "13800138000"]


def test_read_xlsx():
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "手机", "数量"])
    workbook.active.append(["张三", 13800138000, 2.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    assert rp.is_xlsx(data)
    assert rp.read_xlsx(data)[1] == (2, ["张三", "13800138000", "2"])


def test_map_header_bilingual_and_missing():
    columns, missing = rp.map_header(HEADER.split(","))
    assert columns["name"] == 0 and columns["quantity"] == 9
    assert missing == []
    columns, missing = rp.map_header(["Name", "手机号码", "ＱＴＹ"])
    assert columns == {"name": 0, "phone": 1, "quantity": 2}
    assert missing == ["province", "city", "street", "product_ref"]


def test_records_skip_blank_rows_and_fill_missing_cells():
    rows = [(1, ["Name", "Phone"]), (2, ["张三", "1"]), (3, ["", ""]), (4, ["李四"])]
    result = rp.records(rows, {"name": 0, "phone": 1})
    assert [number for number, _values in result] == [2, 4]
    assert result[1][1]["phone"] == ""
    assert result[1][1]["branch"] == ""


def _values(**values):
    base = {
        "name": "张三",
        "phone": "010-65000000",
        "province": "广东",
        "city": "深圳市",
        "district": "南山区",
        "street": "科苑路 1 号",
        "department": "",
        "branch": "",
        "product_ref": "KA-1",
        "quantity": "1",
    }
    base.update(values)
    return base


def test_parse_record_ok():
    row, errors = rp.parse_record(
        _values(phone="１３８００１３８０００"), PROVINCES, {"KA-1": 7}
    )
    assert errors == []
    assert row["phone"] == "13800138000"
    assert row["state_id"] == 1
    assert row["product_id"] == 7
    assert row["quantity"] == 1.0


def test_parse_record_lists_every_error():
    _row, errors = rp.parse_record(
        _values(
            name="",
            phone="12345",
            province="火星",
            product_ref="NOPE",
            quantity="-1",
        ),
        PROVINCES,
        {"KA-1": 7, "DUP": None},
    )
    assert [code for code, _params in errors] == [
        "missing",
        "phone",
        "province",
        "product_unknown",
        "quantity",
    ]
    assert errors[0][1] == {"columns": ["name"]}
    _row, errors = rp.parse_record(_values(product_ref="DUP"), PROVINCES, {"DUP": None})
    assert errors == [("product_ambiguous", {"ref": "DUP"})]


def test_content_checksum_same_content_any_spelling():
    first = rp.parse_record(_values(), PROVINCES, {"KA-1": 7})[0]
    same = rp.parse_record(
        _values(phone="+86 10 6500 0000", quantity="１"), PROVINCES, {"KA-1": 7}
    )[0]
    other = rp.parse_record(_values(quantity="2"), PROVINCES, {"KA-1": 7})[0]
    assert rp.content_checksum([first]) == rp.content_checksum([same])
    assert rp.content_checksum([first]) != rp.content_checksum([other])
    assert rp.content_checksum([first, other]) != rp.content_checksum([first])


@pytest.mark.parametrize(
    "header",
    [
        "name,phone,province,city,district,street,department,branch,product,quantity",
        "NAME,Phone,PROVINCE,City,District,Street,Department,Branch,Product,QUANTITY",
        "姓名,电话,省,市,区,地址,部门,分公司,产品,数量",
        "Name,Phone,Province,City,District,Street,Department,Branch,Product Code,Qty",
    ],
)
def test_map_header_plain_names_users_type(header):
    columns, missing = rp.map_header(header.split(","))
    assert missing == []
    assert columns == {key: index for index, key in enumerate(rp.IMPORT_COLUMNS)}


def test_parse_record_product_outside_the_contract():
    _row, errors = rp.parse_record(_values(), PROVINCES, {"KA-1": 7}, allowed={8})
    assert errors == [("product_not_allowed", {"ref": "KA-1"})]
    _row, errors = rp.parse_record(_values(), PROVINCES, {"KA-1": 7}, allowed={7})
    assert errors == []
    # no contract: no rule
    _row, errors = rp.parse_record(_values(), PROVINCES, {"KA-1": 7}, allowed=None)
    assert errors == []


@pytest.mark.parametrize(
    ("quantity", "whole_units", "error"),
    [
        ("1.5", {7}, True),
        ("0.5", {7}, True),
        ("2", {7}, False),
        ("2.0", {7}, False),
        ("1,000", {7}, False),
        ("1.5", set(), False),
    ],
)
def test_parse_record_fraction_of_a_whole_unit(quantity, whole_units, error):
    _row, errors = rp.parse_record(
        _values(quantity=quantity), PROVINCES, {"KA-1": 7}, whole_units=whole_units
    )
    expected = [("quantity_whole", {"quantity": quantity, "ref": "KA-1"})]
    assert errors == (expected if error else [])
