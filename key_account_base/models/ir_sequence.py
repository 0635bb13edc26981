# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    def _key_account_next_batch(self, count):
        """Return ``count`` numbers of this sequence at once.

        A standard (PostgreSQL) sequence without date ranges draws them all in
        one ``nextval`` query; any other sequence falls back to ``_next()``.
        Used for customer codes and for the names of batched deliveries.
        """
        self.ensure_one()
        if self.implementation != "standard" or self.use_date_range:
            return [self._next() for _i in range(count)]
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            (f"ir_sequence_{self.id:03d}", count),
        )
        prefix, suffix = self._get_prefix_suffix()
        return [
            f"{prefix}{number:0{self.padding}d}{suffix}"
            for (number,) in self.env.cr.fetchall()
        ]
