# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reading and normalising recipient lists: pure Python, no Odoo.

Everything the recipient import needs that does not touch the database lives
here, so that it can be tested with plain unit tests
(``tests/unit/test_recipient_parsing.py``):

- one phone normaliser, built on ``phonenumbers`` (region CN), shared by the
  import and the recipient de-duplication (``res.partner``);
- the recipient key (name + phone + address) that tells two recipients apart;
- reading CSV and Excel files into rows of text, NFKC-normalised once
  (full-width digits and letters, as Chinese spreadsheets often hold, become
  ASCII), mapping the header, parsing one row into values or error codes;
- the content checksum that recognises the same list imported twice.

Errors are returned as ``(code, params)`` tuples: the caller (the import
wizard) turns them into translated messages.
"""

import csv
import hashlib
import io
import math
import re
import unicodedata

import phonenumbers
from phonenumbers import PhoneNumberType

# ----------------------------------------------------------------------
# Text
# ----------------------------------------------------------------------
_WHITESPACE_RE = re.compile(r"\s+")


def nfkc(value):
    """``value`` as stripped text in Unicode NFKC form: full-width digits,
    letters and punctuation (１３８, Ａ, （）, the ideographic space) become
    their ASCII forms; Chinese characters are unchanged."""
    if value is None or value is False:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def fold(value):
    """``value`` for comparisons: NFKC, without whitespace, case-folded."""
    return _WHITESPACE_RE.sub("", nfkc(value)).casefold()


def cell_to_text(value):
    """Spreadsheet cell -> NFKC text (``13800138000.0`` -> ``13800138000``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfkc(value)


# ----------------------------------------------------------------------
# Phones
# ----------------------------------------------------------------------
PHONE_REGION = "CN"
ACCEPTED_PHONE_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)
LANDLINE_TYPES = frozenset(
    {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
# An extension after a complete landline number, the ways Chinese lists write
# it: 010-65000000-8001, 010-65000000转8001, 010-65000000 分机 8001, ext. 8001.
_EXTENSION_RE = re.compile(
    r"^(?P<number>.*?\d)\s*(?:转|分机|ext\.?|extension|x|#|-)\s*(?P<ext>\d{1,6})$",
    re.IGNORECASE,
)


def _parse_phone(text):
    """Valid mobile or landline ``PhoneNumber`` of ``text``, else ``None``."""
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in ACCEPTED_PHONE_TYPES:
        return None
    return number


# Normalised phones by text, the normalised forms included (normalising is
# idempotent): a list's phones are parsed once, and not again when the
# recipient key is computed from the normalised phone.
_PHONE_CACHE = {}
_PHONE_CACHE_SIZE = 100000


def _normalise_phone_text(text):
    number = _parse_phone(text)
    if number is None:
        match = _EXTENSION_RE.match(text)
        if not match:
            return False
        number = _parse_phone(match["number"])
        if number is None or number.extension:
            return False
        number.extension = match["ext"]
    if number.extension and phonenumbers.number_type(number) not in LANDLINE_TYPES:
        return False  # mobiles have no extension
    if number.country_code == 86:
        digits = str(number.national_number)
        if phonenumbers.number_type(number) in LANDLINE_TYPES:
            digits = "0" + digits  # the trunk prefix of the area code
    else:
        digits = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.extension:
        digits = f"{digits}-{number.extension}"
    return digits


def normalise_phone(value):
    """The canonical form of a phone number, or ``False`` when it is not a
    valid mobile or landline number.

    Chinese numbers are written the way they are dialled inside China:
    mobiles as 11 digits (``+86 138-0013-8000``, ``0086 13800138000`` and
    ``１３８００１３８０００`` give ``13800138000``), landlines with their area
    code (``(010) 6500-0000`` and ``+86 10 6500 0000`` give ``01065000000``),
    an extension after a dash (``010-65000000 转 8001`` gives
    ``01065000000-8001``). Numbers of other countries, written with their
    country code, are kept in international form (``+852 9123 4567`` gives
    ``+85291234567``). Service numbers (400, 95xxx) are refused: a courier
    must reach the recipient. Normalising a normalised number returns it
    unchanged.
    """
    text = nfkc(value)
    if not text:
        return False
    result = _PHONE_CACHE.get(text)
    if result is not None:
        return result
    result = _normalise_phone_text(text)
    if len(_PHONE_CACHE) >= _PHONE_CACHE_SIZE:
        _PHONE_CACHE.clear()
    _PHONE_CACHE[text] = result
    if result:
        _PHONE_CACHE[result] = result
    return result


def phone_key(value):
    """The phone part of a recipient key: the normalised number, or the
    digits of a number that is not valid (typed by hand on a contact)."""
    return normalise_phone(value) or re.sub(r"\D", "", nfkc(value))


# ----------------------------------------------------------------------
# Recipient key
# ----------------------------------------------------------------------
RECIPIENT_KEY_VERSION = "v2"


def recipient_key(
    name, phone, state_id=None, city=None, district=None, street=None, street2=None
):
    """Key telling a customer's recipients apart: name, phone and address,
    normalised.

    Colleagues sharing an office switchboard and address are different
    recipients (their names differ); the same person typed with spaces,
    full-width digits or another phone format is the same recipient. The key
    starts with its version, so that keys of an older format can be found and
    recomputed.
    """
    parts = (
        fold(name),
        phone_key(phone),
        str(state_id or ""),
        fold(city),
        fold(district),
        fold(street),
        fold(street2),
    )
    return "|".join((RECIPIENT_KEY_VERSION, *(p.replace("|", "/") for p in parts)))


# ----------------------------------------------------------------------
# Provinces
# ----------------------------------------------------------------------
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


def normalise_province(value):
    """Province name without spaces and administrative suffix: 广东省 and
    广东 give 广东; Guangdong Province and guang dong give guangdong."""
    value = _WHITESPACE_RE.sub("", nfkc(value))
    if value.isascii():
        value = re.sub(r"[^a-z]", "", value.lower())
        return LATIN_PROVINCE_SUFFIX_RE.sub("", value) or value
    return PROVINCE_SUFFIX_RE.sub("", value) or value


def province_map(states):
    """Lookup table of provinces: ``states`` is an iterable of ``(id, Chinese
    name, code, external id suffix)``; keys are the full name, the name without
    suffix, the code (粤) and the pinyin or English names, as
    ``find_province`` looks them up."""
    provinces = {}
    for state_id, name, code, suffix in states:
        for key in (name, normalise_province(name), code):
            if key:
                provinces.setdefault(key, state_id)
                provinces.setdefault(key.lower(), state_id)
        for latin in PROVINCE_LATIN_NAMES.get(suffix, ()):
            provinces.setdefault(normalise_province(latin), state_id)
    return provinces


def find_province(provinces, value):
    """Id of the province ``value`` names in ``provinces``, else ``None``."""
    value = nfkc(value)
    if not value:
        return None
    return provinces.get(value) or provinces.get(normalise_province(value).lower())


# ----------------------------------------------------------------------
# Quantities
# ----------------------------------------------------------------------
def parse_quantity(value):
    """Positive finite quantity of ``value`` ("1", "1,000", "2.5", "１０"),
    else 0."""
    text = re.sub(r"[\s,]", "", nfkc(value))
    try:
        quantity = float(text)
    except ValueError:
        return 0.0
    if not math.isfinite(quantity) or quantity <= 0:
        return 0.0
    return quantity


# ----------------------------------------------------------------------
# Files
# ----------------------------------------------------------------------
# Column key -> accepted header spellings (compared once normalised, see
# ``normalise_header``). The first one is the English label shown in errors.
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
        "product",
        "product ref",
        "product code",
        "reference",
        "internal reference",
        "default_code",
        "code",
        "sku",
        "商品编码",
        "产品编码",
        "产品",
        "产品代码",
        "商品",
        "商品代码",
    ),
    "quantity": ("Quantity", "qty", "数量"),
}
REQUIRED_COLUMNS = (
    "name",
    "phone",
    "province",
    "city",
    "street",
    "product_ref",
    "quantity",
)
OPTIONAL_COLUMNS = tuple(key for key in IMPORT_COLUMNS if key not in REQUIRED_COLUMNS)


def normalise_header(value):
    return re.sub(r"[\s_*:：\-]", "", nfkc(value).lower())


HEADER_ALIASES = {
    normalise_header(alias): key
    for key, aliases in IMPORT_COLUMNS.items()
    for alias in aliases
}


def column_label(key):
    """English label of a column, as errors name it."""
    return IMPORT_COLUMNS[key][0]


def decode_text(data):
    """``data`` decoded as UTF-8 (with or without BOM) or else GBK (GB18030):
    what Excel saves as CSV on a Chinese Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read_csv(data):
    """Rows of a CSV file as ``[(row number, [text, ...]), ...]``; the header
    is row 1, as a spreadsheet shows it. Comma, semicolon or tab separated."""
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [
        (number, [nfkc(cell) for cell in row])
        for number, row in enumerate(reader, start=1)
    ]


def read_xlsx(data):
    """Rows of the first sheet of an Excel workbook, as ``read_csv``. Raises
    what openpyxl raises on a file that is not a workbook."""
    import openpyxl  # only needed for Excel files

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, [cell_to_text(value) for value in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def is_xlsx(data, filename=""):
    return (filename or "").lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def map_header(header):
    """``({column key: index}, [missing required keys])`` of a header row."""
    columns = {}
    for index, title in enumerate(header):
        key = HEADER_ALIASES.get(normalise_header(title))
        if not key:
            # "姓名/Name", "姓名 (Name)": try each part of a bilingual title.
            for part in re.split(r"[/|()（）]", title or ""):
                key = HEADER_ALIASES.get(normalise_header(part))
                if key:
                    break
        if key and key not in columns:
            columns[key] = index
    missing = [key for key in REQUIRED_COLUMNS if key not in columns]
    return columns, missing


def records(rows, columns):
    """``[(row number, {column key: text})]`` of the non-blank rows after the
    header; every column key is present (optional ones may be "")."""
    result = []
    keys = [(key, columns.get(key)) for key in IMPORT_COLUMNS]
    for number, cells in rows[1:]:
        if not any(cells):
            continue
        size = len(cells)
        result.append(
            (
                number,
                {
                    key: cells[index] if index is not None and index < size else ""
                    for key, index in keys
                },
            )
        )
    return result


def parse_record(values, provinces, products, allowed=None, whole_units=()):
    """Validate and normalise one row.

    ``provinces`` comes from ``province_map``; ``products`` maps an internal
    reference to a product id, or to ``None`` when several products share it;
    ``allowed``, when given, holds the product ids the order may take (its
    contract's); ``whole_units`` the product ids counted in whole units.
    Returns ``(row, errors)``: ``row`` holds ``name, phone, state_id, city,
    district, street, department, branch, product_id, quantity``; each error
    is ``(code, params)`` with code ``missing`` (``columns``: keys), ``phone``,
    ``province``, ``product_ambiguous``, ``product_unknown``,
    ``product_not_allowed``, ``quantity`` or ``quantity_whole`` (a fraction of
    a product counted in whole units).
    """
    errors = []
    missing = [key for key in REQUIRED_COLUMNS if not values[key]]
    if missing:
        errors.append(("missing", {"columns": missing}))
    phone = values["phone"] and normalise_phone(values["phone"])
    if values["phone"] and not phone:
        errors.append(("phone", {"phone": values["phone"]}))
    state_id = find_province(provinces, values["province"])
    if values["province"] and not state_id:
        errors.append(("province", {"province": values["province"]}))
    reference = values["product_ref"]
    product_id = products.get(reference, False) if reference else False
    if reference and product_id is None:
        errors.append(("product_ambiguous", {"ref": reference}))
    elif reference and not product_id:
        errors.append(("product_unknown", {"ref": reference}))
    elif product_id and allowed is not None and product_id not in allowed:
        errors.append(("product_not_allowed", {"ref": reference}))
    quantity = parse_quantity(values["quantity"])
    if values["quantity"] and not quantity:
        errors.append(("quantity", {"quantity": values["quantity"]}))
    elif quantity and product_id in whole_units and not quantity.is_integer():
        errors.append(
            ("quantity_whole", {"quantity": values["quantity"], "ref": reference})
        )
    row = {
        "name": values["name"],
        "phone": phone,
        "state_id": state_id,
        "city": values["city"],
        "district": values["district"],
        "street": values["street"],
        "department": values["department"],
        "branch": values["branch"],
        "product_id": product_id,
        "quantity": quantity,
    }
    return row, errors


CHECKSUM_FIELDS = (
    "name",
    "phone",
    "state_id",
    "city",
    "district",
    "street",
    "department",
    "branch",
    "product_id",
    "quantity",
)


def content_checksum(rows):
    """SHA-256 of parsed rows: the same list gives the same checksum whether
    it comes as CSV or Excel, UTF-8 or GBK, with phones in any format."""
    digest = hashlib.sha256()
    for row in rows:
        line = "\x1f".join(str(row[name]) for name in CHECKSUM_FIELDS)
        digest.update(line.encode())
        digest.update(b"\x1e")
    return digest.hexdigest()
