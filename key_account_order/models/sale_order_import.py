# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class SaleOrder(models.Model):
    """What the recipient import remembers of an order."""

    _inherit = "sale.order"

    # Written by the import wizard only (as superuser): the group keeps it
    # out of reach of the users' RPC reads and writes.
    key_account_import_checksums = fields.Text(
        string="Imported Recipient Lists",
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="Content checksums of the recipient lists imported into the order "
        "since its allocations were last replaced, one per line: the same list "
        "is not added twice.",
    )

    def _key_account_imported_checksums(self):
        self.ensure_one()
        return set((self.sudo().key_account_import_checksums or "").split())

    def _key_account_remember_import(self, checksum, reset=False):
        """Remember the list of ``checksum`` as imported; ``reset`` forgets
        the earlier ones (their allocations were replaced)."""
        self.ensure_one()
        checksums = [] if reset else sorted(self._key_account_imported_checksums())
        checksums.append(checksum)
        self.sudo().key_account_import_checksums = "\n".join(checksums)
