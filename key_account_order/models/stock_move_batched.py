# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The stock speed-up layer of key_account_order: the recipient moves of a
confirmation are put into their pickings in one pass and reserved together,
where core loops per procurement group and per move.

A speed-up only: the business flow (one procurement group per delivery
group, one procurement per allocation, the allocation following its moves)
is in ``sale_order_line.py``, ``key_account_allocation.py``,
``stock_move.py``, ``stock_rule.py`` and ``stock_picking.py``, the way OCA's
sale_procurement_group_by_line extends core; with this layer off, core's own
assignment and reservation run it. The layer is these files:

* ``stock_move_batched.py`` (this one): the batched picking assignment
  (``_action_confirm``), reservation (``_action_assign``) and scheduler
  trigger (``_trigger_scheduler``);
* ``stock_quant_batched.py``: quants reserved once per quant, not per line;
* ``stock_picking_batched.py``: the followers and origin messages of the
  pickings created in a batch, added in one go;
* ``procurement_group_batched.py``: the stock rule looked up once per
  (product, location, route...) for all recipients.

One switch: the system parameter ``key_account_order.stock_batch`` (on when
absent; ``0``, ``false`` or ``off`` turns the layer off: core's path). The
layer also steps aside by itself, per step, when another installed addon
overrides a step it replaces (``_key_account_batch_assign_supported``,
``_key_account_batch_reserve_supported``). It calls the hooks core calls
(``_search_picking_for_assignation_domain``, ``_assign_picking_values``,
``_get_new_picking_values``, ``_assign_picking_post_process``...), and the
context markers it sets are Python objects, which no client can send.
"""

from collections import defaultdict

from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL, float_compare, float_is_zero
from odoo.tools.misc import clean_context

from .stock_picking_batched import DEFER_FOLLOWERS, ORIGIN_LOGGED
from .stock_quant_batched import RESERVED_IN_BATCH

# The one switch of the layer (see the module doc).
STOCK_BATCH_PARAM = "key_account_order.stock_batch"
# Picking states into which new moves may still be added (as in core).
OPEN_PICKING_STATES = (
    "draft",
    "confirmed",
    "waiting",
    "partially_available",
    "assigned",
)
# Fields of the picking search domain that vary with the moves' key.
ASSIGNATION_KEY_FIELDS = (
    "group_id",
    "location_id",
    "location_dest_id",
    "picking_type_id",
    "partner_id",
)
# Addons whose picking assignment the batch reproduces: with any other one
# overriding these methods, core's assignment runs instead.
BATCH_ASSIGN_MODULES = {
    "_assign_picking": {"stock"},
    "_search_picking_for_assignation": {"stock"},
    # sale_stock's origin message per picking is replaced by one message on
    # the order (see sale.order.line._key_account_run_procurements).
    "_assign_picking_post_process": {"stock", "sale_stock"},
}


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.model
    def _key_account_stock_batch_enabled(self):
        """The switch of the stock speed-up layer: the system parameter
        ``key_account_order.stock_batch``, on unless set to 0, false or off
        (cached by ``ir.config_parameter``: no query per call)."""
        value = (
            self.env["ir.config_parameter"].sudo().get_param(STOCK_BATCH_PARAM) or ""
        )
        return value.strip().lower() not in ("0", "false", "off", "no")

    def _trigger_scheduler(self):
        """Core searches the orderpoint of every move, one search per move.
        Recipient moves of the same product and locations share their
        orderpoint: one representative per key (the largest quantity, which
        decides whether its origin is reported) is enough."""
        recipient_moves = self.filtered("key_account_allocation_id")
        if len(recipient_moves) <= 1 or not self._key_account_stock_batch_enabled():
            return super()._trigger_scheduler()
        representatives = {}
        for move in recipient_moves:
            key = (
                move.product_id,
                move.location_id,
                move.location_dest_id,
                move.company_id,
                move.origin,
            )
            best = representatives.get(key)
            if not best or move.product_qty > best.product_qty:
                representatives[key] = move
        moves = self - recipient_moves
        for move in representatives.values():
            moves |= move
        return super(StockMove, moves)._trigger_scheduler()

    def _action_confirm(self, merge=True, merge_into=False):
        # Recipient moves get their pickings in one pass before core's loop,
        # which then finds them assigned (_should_be_assigned is False).
        to_assign = self.filtered(
            lambda m: (
                m.key_account_allocation_id
                and m.state == "draft"
                and m._should_be_assigned()
                and float_compare(
                    m.product_uom_qty, 0.0, precision_rounding=m.product_uom.rounding
                )
                >= 0
            )
        )
        if (
            to_assign
            and self._key_account_stock_batch_enabled()
            and self._key_account_batch_assign_supported()
        ):
            # As core's _action_confirm: no default_* key of the caller's
            # context reaches the pickings created.
            clean_env = self.env(context=clean_context(self.env.context))
            new_pickings = to_assign.with_env(clean_env)._key_account_assign_picking()[
                1
            ]
            # Moves that all went into pickings created just now, one move per
            # allocation: there is nothing to merge them with.
            if (
                merge
                and not merge_into
                and to_assign == self
                and to_assign.picking_id <= new_pickings
                and len(to_assign.key_account_allocation_id) == len(to_assign)
            ):
                merge = False
        return super()._action_confirm(merge=merge, merge_into=merge_into)

    # ------------------------------------------------------------------
    # Reservation in batch
    # ------------------------------------------------------------------
    def _action_assign(self, force_qty=False):
        # Recipient moves of one product and source location are reserved
        # together: one quant search and one move line create for all of
        # them, where core searches and updates the quants once per move.
        batchable = (
            self._key_account_batch_reservable()
            if not force_qty
            and self._key_account_stock_batch_enabled()
            and self._key_account_batch_reserve_supported()
            else self.browse()
        )
        if not batchable:
            return super()._action_assign(force_qty=force_qty)
        # Callers order the moves (the scheduler by priority and date): runs
        # of consecutive moves are reserved in that order, each in batch or
        # by core.
        batch_ids = set(batchable.ids)
        runs = []
        for move in self:
            in_batch = move.id in batch_ids
            if not runs or runs[-1][0] != in_batch:
                runs.append((in_batch, []))
            runs[-1][1].append(move.id)
        for in_batch, ids in runs:
            moves = self.browse(ids)
            if in_batch:
                moves._key_account_reserve_batch()
            # Core (and the addons extending it, e.g. stock_picking_batch's
            # waves) then sees the batch-reserved moves assigned and skips
            # them; it retries those the stock could not cover.
            super(StockMove, moves)._action_assign(force_qty=force_qty)
        return None

    @api.model
    def _key_account_batch_reserve_supported(self):
        """True when the batched reservation does what core's would: the
        per-move and per-quant steps it replaces are core's. product_expiry's
        only acts on products with expiration dates, which are tracked and
        left to core anyway."""
        allowed = {"stock", "product_expiry"}
        if (
            self._key_account_method_modules("_update_reserved_quantity") - allowed
        ) or (self._key_account_method_modules("_get_available_quantity") - allowed):
            return False
        quant_modules = {
            cls._module
            for cls in type(self.env["stock.quant"]).__mro__
            if "_update_reserved_quantity" in vars(cls)
            and getattr(cls, "_module", None)
        }
        return quant_modules <= {"stock", "key_account_order"}

    def _key_account_batch_reservable(self):
        """The moves of ``self`` that the batched reservation handles: fresh
        make-to-stock recipient moves of untracked storable products in their
        product's unit, without packaging or package constraints. Everything
        else (chained moves, lots, serials, packages...) is left to core."""
        candidates = self.filtered(
            lambda m: (
                m.key_account_allocation_id
                and m.state in ("confirmed", "waiting", "partially_available")
                and not m.picked
                and not m.move_orig_ids
                and not m.move_line_ids
                and m.procure_method == "make_to_stock"
                and m.product_id.tracking == "none"
                and m.product_uom == m.product_id.uom_id
                and not m.product_packaging_id
                and not m.package_level_id
                and not m._should_bypass_reservation()
            )
        )
        # Alone, a move gains nothing from the batch.
        counts = defaultdict(int)
        for move in candidates:
            counts[move._key_account_reservation_key()] += 1
        return candidates.filtered(
            lambda m: counts[m._key_account_reservation_key()] > 1
        )

    def _key_account_reservation_key(self):
        return (self.product_id, self.location_id, self.company_id)

    def _key_account_reserve_batch(self):
        """Reserve the moves as core's ``_action_assign`` would, one after the
        other in the order of ``self``, but with one quant search per
        (product, location), one move line ``create`` for all the moves and
        one update per quant used."""
        Quant = self.env["stock.quant"].sudo()
        quant_reserved = defaultdict(float)
        line_vals = []
        by_key = defaultdict(list)
        for move in self:
            by_key[move._key_account_reservation_key()].append(move)
        for (product, location, company), moves in by_key.items():
            rounding = product.uom_id.rounding
            needs = [
                (move, move.product_uom_qty - move.quantity)
                for move in moves
                if float_compare(
                    move.product_uom_qty - move.quantity,
                    0,
                    precision_rounding=rounding,
                )
                > 0
            ]
            total = sum(need for _move, need in needs)
            chunks = [
                [quant, quantity]
                for quant, quantity in Quant.with_company(
                    company
                )._get_reserve_quantity(
                    product, location, total, uom_id=product.uom_id, strict=False
                )
            ]
            for move, need in needs:
                while chunks and not float_is_zero(need, precision_rounding=rounding):
                    chunk = chunks[0]
                    quant, available = chunk
                    taken = min(need, available)
                    line_vals.append(
                        move._prepare_move_line_vals(
                            quantity=taken, reserved_quant=quant
                        )
                    )
                    quant_reserved[quant] += taken
                    need -= taken
                    chunk[1] -= taken
                    if float_is_zero(chunk[1], precision_rounding=rounding):
                        chunks.pop(0)
        if not line_vals:
            return
        # The quants are updated below, once each: core's move line create
        # would update them once per line.
        lines = (
            self.env["stock.move.line"]
            .with_context(key_account_reserved_in_batch=RESERVED_IN_BATCH)
            .create(line_vals)
        )
        for quant, quantity in quant_reserved.items():
            quant.reserved_quantity += quantity
        # No state write: the line create has recomputed the states of the
        # moves it reserved (_recompute_state), which is what core's final
        # writes amount to.
        # Core's _action_assign, called next, checks the entire packs.
        lines.with_env(self.env)._apply_putaway_strategy()

    # ------------------------------------------------------------------
    # Picking assignment in batch
    # ------------------------------------------------------------------
    @api.model
    def _key_account_method_modules(self, name):
        """The addons whose classes define the method ``name`` of stock.move
        (this addon left out)."""
        return {
            cls._module
            for cls in type(self).__mro__
            if name in vars(cls) and getattr(cls, "_module", None)
        } - {"key_account_order"}

    @api.model
    def _key_account_batch_assign_supported(self):
        """True when the batched assignment reproduces core's: no installed
        addon overrides the steps it replaces. Otherwise the moves go through
        core's ``_assign_picking``, one picking at a time."""
        return all(
            self._key_account_method_modules(name) <= modules
            for name, modules in BATCH_ASSIGN_MODULES.items()
            if name != "_assign_picking_post_process"
        )

    @api.model
    def _key_account_post_process_needed(self):
        """``_assign_picking_post_process`` is overridden by an addon whose
        work the batch does not already do (e.g. stock_picking_batch)."""
        return not (
            self._key_account_method_modules("_assign_picking_post_process")
            <= BATCH_ASSIGN_MODULES["_assign_picking_post_process"]
        )

    def _key_account_search_domain_template(self, moves_by_key):
        """One domain for the open pickings of every key of ``moves_by_key``,
        built from core's hook ``_search_picking_for_assignation_domain`` (with
        what other addons add to it): the key's own leaves (``group_id =``,
        ``location_id =``...) become ``in`` over all keys, the rest must be
        the same for every key. Returns (domain, {key: leaf values}, leaf
        fields), or None when the domains differ in another way."""
        template = None
        leaf_fields = None
        leaves_by_key = {}
        values = defaultdict(set)
        for key, moves in moves_by_key.items():
            domain = expression.normalize_domain(
                moves[0]._search_picking_for_assignation_domain()
            )
            shape = []
            leaves = {}
            for item in domain:
                if (
                    isinstance(item, (list, tuple))
                    and len(item) == 3
                    and item[0] in ASSIGNATION_KEY_FIELDS
                    and item[1] == "="
                    and item[0] not in leaves
                ):
                    leaves[item[0]] = item[2]
                    shape.append((item[0], "in", None))
                else:
                    shape.append(tuple(item) if isinstance(item, list) else item)
            if template is None:
                template, leaf_fields = shape, tuple(leaves)
            elif shape != template or tuple(leaves) != leaf_fields:
                return None
            leaves_by_key[key] = tuple(leaves[fname] or False for fname in leaf_fields)
            for fname, value in leaves.items():
                values[fname].add(value or False)
        domain = [
            (item[0], "in", list(values[item[0]]))
            if isinstance(item, tuple) and item[1:] == ("in", None)
            else item
            for item in template
        ]
        return domain, leaves_by_key, leaf_fields

    def _key_account_assign_picking(self):
        """Batched ``_assign_picking`` for recipient moves.

        Core searches and creates one picking per procurement group in a loop.
        Here all open pickings are found with one search (built from core's
        ``_search_picking_for_assignation_domain``), the missing ones are
        created with one ``create`` (names drawn in one query), and the moves
        are written with the ORM (flushed as one batched UPDATE). Core's
        ``_assign_picking_post_process`` runs when an addon other than
        sale_stock extends it. Where the search domain cannot be batched,
        core's ``_assign_picking`` runs.
        """
        Picking = self.env["stock.picking"]
        moves_by_key = defaultdict(lambda: self.browse())
        for move in self:
            moves_by_key[move._key_assign_picking()] |= move
        template = self._key_account_search_domain_template(moves_by_key)
        if template is None:
            for moves in moves_by_key.values():
                moves._assign_picking()
            return {}, Picking
        domain, leaves_by_key, leaf_fields = template
        # One search for the pickings that can take the moves; in core's
        # order, the first match of a key wins (core's search limit=1).
        found = {}
        for picking in Picking.search(domain):
            values = tuple(picking[fname].id or False for fname in leaf_fields)
            found.setdefault(values, picking)

        picking_by_key = {}
        new_pickings = Picking
        new_keys = []
        new_vals = []
        for key, moves in moves_by_key.items():
            move = moves[0]
            picking = found.get(leaves_by_key[key])
            if picking:
                vals = moves._assign_picking_values(picking)
                if vals:
                    picking.write(vals)
                picking_by_key[key] = picking
                continue
            vals = moves._get_new_picking_values()
            vals.pop("scheduled_date", None)
            if move.group_id.move_type:
                vals.setdefault("move_type", move.group_id.move_type)
            new_keys.append(key)
            new_vals.append(vals)
        if new_vals:
            self._key_account_draw_picking_names(new_vals)
            self._key_account_shared_picking_defaults(Picking, new_vals)
            # One message on the order replaces the per-picking creation log
            # and sale_stock's per-picking origin message.
            new_pickings = Picking.with_context(
                key_account_defer_followers=DEFER_FOLLOWERS,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            ).create(new_vals)
            new_pickings._key_account_subscribe_partners()
            picking_by_key.update(zip(new_keys, new_pickings, strict=True))
        self._key_account_write_pickings(
            {
                move.id: (picking_by_key[key].id, move.group_id.id or None)
                for key, moves in moves_by_key.items()
                for move in moves
            }
        )
        if self._key_account_post_process_needed():
            # Another addon extends the post-process (stock_picking_batch's
            # auto-batching): run it as core does, less sale_stock's origin
            # message per picking (one message on the order says it).
            post_process = self.with_context(key_account_origin_logged=ORIGIN_LOGGED)
            for key, moves in moves_by_key.items():
                post_process.browse(moves.ids)._assign_picking_post_process(
                    new=picking_by_key[key] in new_pickings
                )
        return picking_by_key, new_pickings

    def _key_account_write_pickings(self, values):
        """Put moves into their pickings: ``values`` is {move id: (picking id,
        group id)}. One UPDATE for all moves (instead of one write() per
        picking), then the ORM is told what changed so that the pickings'
        stored fields (state, scheduled date...) are recomputed in batch."""
        moves = self.browse(list(values))
        moves.flush_recordset(["picking_id", "group_id"])
        self.env.cr.execute(
            SQL(
                """UPDATE stock_move AS move
                      SET picking_id = data.picking_id, group_id = data.group_id,
                          write_uid = %(uid)s,
                          write_date = (now() at time zone 'UTC')
                     FROM unnest(%(ids)s::int[], %(pickings)s::int[],
                                 %(groups)s::int[])
                          AS data(id, picking_id, group_id)
                    WHERE move.id = data.id""",
                uid=self.env.uid,
                ids=list(values),
                pickings=[picking_id for picking_id, _group in values.values()],
                groups=[group_id for _picking, group_id in values.values()],
            )
        )
        moves.invalidate_recordset(
            ["picking_id", "group_id", "write_uid", "write_date"]
        )
        self.env["stock.picking"].invalidate_model(
            ["move_ids", "move_ids_without_package"]
        )
        moves.modified(["picking_id", "group_id"])

    # Picking defaults that depend on nothing in the values, which core's
    # create computes again for every picking: stock_delivery's weight unit
    # label looks the unit up (env.ref + exists()) once per picking.
    _key_account_shared_default_fields = ("weight_uom_name",)

    def _key_account_shared_picking_defaults(self, Picking, vals_list):
        """Compute once for the batch the picking defaults that are the same
        for every picking (``_key_account_shared_default_fields``)."""
        names = [
            name
            for name in self._key_account_shared_default_fields
            if name in Picking._fields and any(name not in vals for vals in vals_list)
        ]
        if not names:
            return
        defaults = Picking.default_get(names)
        for vals in vals_list:
            for name, value in defaults.items():
                vals.setdefault(name, value)

    def _key_account_draw_picking_names(self, vals_list):
        """Give each picking of ``vals_list`` its name from its operation
        type's sequence: one ``nextval`` query per standard sequence."""
        by_type = defaultdict(list)
        for vals in vals_list:
            if vals.get("name", "/") == "/" and vals.get("picking_type_id"):
                by_type[vals["picking_type_id"]].append(vals)
        for type_id, type_vals in by_type.items():
            sequence = self.env["stock.picking.type"].browse(type_id).sequence_id
            if not sequence:
                continue
            names = sequence._key_account_next_batch(len(type_vals))
            for vals, name in zip(type_vals, names, strict=True):
                vals["name"] = name
