# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Helpers the column maps share."""


def value(row, source):
    """A cell: ``source`` is a key of the row (the fapiao or line dict that
    ``key.account.fapiao.request._key_account_export_data`` gives) or a
    function of the row."""
    if callable(source):
        return source(row)
    result = row.get(source, "")
    return "" if result is False or result is None else result


def detail_rows(fapiao, discount_as_column):
    """The detail rows of one fapiao: with ``discount_as_column`` a discount
    line is the 折扣金额 of the goods row before it (and no row of its own),
    else a row of its own right after it."""
    if not discount_as_column:
        return fapiao["lines"]
    return [line for line in fapiao["lines"] if not line["is_discount"]]


def amount(key, digits=2):
    return lambda row: round(row[key], digits) if row[key] else 0.0
