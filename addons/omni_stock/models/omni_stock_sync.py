# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import format_datetime

from .stock_change_log import init_change_log


class OmniStockSync(models.Model):
    """One stock write-back to a channel: what was computed, sent, refused."""

    _name = "omni.stock.sync"
    _description = "Stock Sync Log"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    channel_id = fields.Many2one("omni.channel", required=True, index=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    mode = fields.Selection([("incremental", "Incremental"), ("full", "Full")], required=True, readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done"), ("partial", "Partly Failed"), ("failed", "Failed")],
        default="running",
        readonly=True,
    )
    started_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    finished_at = fields.Datetime(readonly=True)
    sku_count = fields.Integer(string="SKUs Computed", readonly=True)
    sent_count = fields.Integer(string="SKUs Sent", readonly=True)
    failed_count = fields.Integer(string="SKUs Failed", readonly=True)
    result_note = fields.Selection(
        [
            ("nothing", "Nothing changed."),
            ("exported", "No platform API: export file made for manual upload."),
            ("error", "The platform refused or could not be reached (details below)."),
        ],
        string="Result",
        readonly=True,
        help="What happened, in the reader's language.",
    )
    message = fields.Text(string="Platform Error", readonly=True, help="The platform's own words, as it answered.")
    line_ids = fields.One2many("omni.stock.sync.line", "sync_id", readonly=True)
    export_file = fields.Binary(attachment=True, readonly=True, help="For channels without an API: upload it by hand.")
    export_filename = fields.Char(readonly=True)

    @api.depends("channel_id.code", "mode", "started_at")
    @api.depends_context("lang", "tz")
    def _compute_name(self):
        modes = dict(self._fields["mode"]._description_selection(self.env))
        for sync in self:
            started = format_datetime(self.env, sync.started_at) if sync.started_at else ""
            sync.name = " ".join(part for part in (sync.channel_id.code, modes.get(sync.mode, ""), started) if part)


class OmniStockSyncLine(models.Model):
    _name = "omni.stock.sync.line"
    _description = "Stock Sync Log Line"
    _order = "sync_id, platform_sku"

    sync_id = fields.Many2one("omni.stock.sync", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="sync_id.company_id", store=True)
    platform_sku = fields.Char(string="Platform SKU", required=True)
    quantity = fields.Integer(string="Quantity Sent")
    state = fields.Selection([("sent", "Sent"), ("exported", "Exported"), ("failed", "Failed")], required=True)
    error = fields.Char()


class OmniStockSkuState(models.Model):
    """Per channel SKU: what the platform last accepted, and the failure that
    keeps it queued (sent again by every sync until it succeeds)."""

    _name = "omni.stock.sku.state"
    _description = "Stock Write-back State of a Platform SKU"
    _order = "channel_id, platform_sku"

    # no index of its own: the unique (channel_id, platform_sku) index serves
    # both look-ups, and the planner cannot pick the channel-only one for the
    # per-SKU look-up of a sync when the statistics do not know the channel yet
    channel_id = fields.Many2one("omni.channel", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    platform_sku = fields.Char(string="Platform SKU", required=True)
    last_quantity = fields.Integer(help="Quantity the platform last accepted.")
    last_sent_at = fields.Datetime()
    # indexed by a partial index of the failing SKUs only (init): a sync's
    # updates of the accepted SKUs leave it alone
    failed = fields.Boolean()
    error = fields.Char()

    _sql_constraints = [
        ("channel_sku_uniq", "unique(channel_id, platform_sku)", "One write-back state per channel SKU."),
    ]

    def init(self):
        # Odoo keeps the index of a field that is no longer indexed
        self.env.cr.execute("DROP INDEX IF EXISTS omni_stock_sku_state__channel_id_index")
        # the failing SKUs of a channel (each incremental sync sends them again,
        # the channel form counts them): a few rows, where an index of the flag
        # had a row for every SKU, written again by every sync
        self.env.cr.execute("DROP INDEX IF EXISTS omni_stock_sku_state__failed_index")
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS omni_stock_sku_state_failed_idx"
            " ON omni_stock_sku_state (channel_id) WHERE failed"
        )
        # the log of what changed the sellable stock since a sync (stock_change_log.py)
        init_change_log(self.env.cr)
