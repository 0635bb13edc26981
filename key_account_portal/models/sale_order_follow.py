# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The recipient delivery report of a key-account order (XLSX), downloaded
from the portal's order page."""

import io

from odoo import fields, models
from odoo.tools import split_every

# Allocations read at once when the delivery report is built.
REPORT_BATCH = 1000


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _key_account_portal_report_columns(self):
        """(row key, header, column width) of the delivery report."""
        columns = [
            ("name", self.env._("Recipient"), 18),
            ("phone", self.env._("Phone"), 15),
            ("address", self.env._("Address"), 40),
            ("department", self.env._("Department"), 14),
            ("branch", self.env._("Branch"), 14),
            ("product", self.env._("Product"), 24),
            ("quantity", self.env._("Quantity"), 10),
            ("delivered", self.env._("Delivered"), 10),
            ("picking", self.env._("Delivery"), 18),
            ("picking_state_label", self.env._("Delivery Status"), 14),
        ]
        if self.env["key.account.allocation"]._key_account_portal_tracking_field():
            columns.append(("tracking", self.env._("Tracking Reference"), 20))
        columns += [
            ("carrier", self.env._("Carrier"), 14),
            ("waybill", self.env._("Waybill Number"), 20),
            ("tracking_state_label", self.env._("Tracking Status"), 14),
            ("tracking_date", self.env._("Last Tracking Update"), 18),
        ]
        columns += [
            ("acceptance_label", self.env._("Acceptance"), 12),
            ("discrepancy_label", self.env._("Discrepancy"), 12),
            ("discrepancy_note", self.env._("Discrepancy Note"), 30),
        ]
        return columns

    def _key_account_portal_report_xlsx(self):
        """The report of every recipient of the order as XLSX bytes, read
        ``REPORT_BATCH`` allocations at a time (the caller checked access and
        passes the order sudo)."""
        self.ensure_one()
        import xlsxwriter

        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(
            output, {"in_memory": True, "constant_memory": True}
        )
        sheet = workbook.add_worksheet(self.env._("Recipients")[:31])
        bold = workbook.add_format({"bold": True})
        columns = self._key_account_portal_report_columns()
        for col, (_key, label, width) in enumerate(columns):
            sheet.write(0, col, label, bold)
            sheet.set_column(col, col, width)
        Allocation = self.env["key.account.allocation"]
        ids = Allocation.search([("order_id", "=", self.id)], order="id").ids
        row_index = 1
        for chunk in split_every(REPORT_BATCH, ids):
            for row in Allocation.browse(chunk)._key_account_portal_rows():
                for col, (key, _label, _width) in enumerate(columns):
                    value = row[key]
                    if key == "tracking_date":
                        value = (
                            fields.Datetime.to_string(
                                fields.Datetime.context_timestamp(self, value)
                            )
                            if value
                            else ""
                        )
                    sheet.write(row_index, col, value)
                row_index += 1
            # Keep the memory flat: the rows read are not needed any more.
            self.env.invalidate_all()
        sheet.freeze_panes(1, 0)
        workbook.close()
        return output.getvalue()
