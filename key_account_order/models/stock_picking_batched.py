# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Stock speed-up layer (see ``stock_move_batched.py``): what core does per
picking created, done in one go for the pickings the batched assignment
creates."""

from odoo import Command, models

# Context value of pickings created in a batch whose followers are added in
# one go. An object, not a flag: a client's context cannot carry it.
DEFER_FOLLOWERS = object()
# Context value while recipient pickings are post-processed in a batch: the
# order's one message replaces the origin link sale_stock posts per picking.
ORIGIN_LOGGED = object()


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # Recipient pickings created in a batch subscribe their partners in one
        # go (_key_account_subscribe_partners) instead of one call per picking.
        if (
            self.env.context.get("key_account_defer_followers") is DEFER_FOLLOWERS
            and not subtype_ids
        ):
            return True
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def message_post_with_source(self, source_ref, **kwargs):
        if (
            self.env.context.get("key_account_origin_logged") is ORIGIN_LOGGED
            and source_ref == "mail.message_origin_link"
        ):
            return self.env["mail.message"]
        return super().message_post_with_source(source_ref, **kwargs)

    def _key_account_subscribe_partners(self):
        """What ``create`` does per picking, in one batch: the delivery
        partner follows its outgoing picking (default external subtypes)."""
        pickings = self.filtered(
            lambda p: (
                p.partner_id
                and (
                    p.location_id.usage == "supplier"
                    or p.location_dest_id.usage == "customer"
                )
            )
        )
        if not pickings:
            return
        partners = (
            self.env["res.partner"]
            .sudo()
            .search_fetch(
                [("id", "in", pickings.partner_id.ids), ("active", "=", True)],
                ["partner_share"],
            )
        )
        default, _internal, external = self.env[
            "mail.message.subtype"
        ].default_subtypes(self._name)
        subtypes = {
            partner.id: (external if partner.partner_share else default).ids
            for partner in partners
        }
        creator = self.env.user.partner_id.id
        self.env["mail.followers"].sudo().create(
            [
                {
                    "res_model": self._name,
                    "res_id": picking.id,
                    "partner_id": picking.partner_id.id,
                    "subtype_ids": [Command.set(subtypes[picking.partner_id.id])],
                }
                for picking in pickings
                if picking.partner_id.id in subtypes
                and picking.partner_id.id != creator
            ]
        )
