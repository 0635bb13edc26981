# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Helpers shared by the key-account modules' write guards."""


def changed_fields(record, vals, names):
    """Return the names of ``names`` in ``vals`` whose value differs from the
    one ``record`` holds (writing a field's current value is no change)."""
    changed = []
    for name in names:
        if name not in vals:
            continue
        field = record._fields[name]
        if field.type in ("one2many", "many2many"):
            changed.append(name)
            continue
        old = field.convert_to_write(record[name], record)
        new = field.convert_to_write(
            field.convert_to_record(field.convert_to_cache(vals[name], record), record),
            record,
        )
        if (old or False) != (new or False):
            changed.append(name)
    return changed
