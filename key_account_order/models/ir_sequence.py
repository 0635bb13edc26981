# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    def _key_account_next_batch(self, count):
        """``count`` numbers of this sequence at once.

        A standard (PostgreSQL) sequence without date ranges draws them in
        one ``nextval`` query; any other falls back to ``next_by_id``.
        """
        self.ensure_one()
        sequence = self.sudo()
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [self.next_by_id() for _i in range(count)]
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            (f"ir_sequence_{sequence.id:03d}", count),
        )
        prefix, suffix = sequence._get_prefix_suffix()
        return [
            f"{prefix}{number:0{sequence.padding}d}{suffix}"
            for (number,) in self.env.cr.fetchall()
        ]
