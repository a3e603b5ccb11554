# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.omni_base.tools import guard

# how long a buyer claim is kept: longer than any job or request runs
CLAIM_KEPT = "1 day"


class ResPartner(models.Model):
    _inherit = "res.partner"

    omni_buyer_key = fields.Char(
        index=True,
        copy=False,
        readonly=True,
        help="Normalised receiver name, phone and address of platform orders: "
        "orders with the same key belong to this customer.",
    )

    def init(self):
        # one claim per (company, buyer key): the transaction that creates a
        # buyer claims its key first (see _omni_claim_buyer_keys)
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS omni_buyer_claim (
                company_id integer NOT NULL REFERENCES res_company(id) ON DELETE CASCADE,
                buyer_key varchar NOT NULL,
                claimed_at timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
                PRIMARY KEY (company_id, buyer_key)
            )
            """
        )

    @api.model
    def _omni_claim_buyer_keys(self, company, keys):
        """Claim the buyer keys about to get a new customer. Two transactions
        that both miss the same buyer cannot both claim its key: the second
        waits for the first and, once the first committed its customer,
        fails with a serialization error (ON CONFLICT under repeatable read),
        and is retried as a whole by Odoo or queue_job. The retry finds the
        customer: one customer per buyer, whatever runs in parallel. A key
        claimed by a transaction that rolled back is free again; a key whose
        claim is there (an earlier committed run) but whose customer was
        deleted is simply created again."""
        self.env.cr.execute(
            SQL(
                """INSERT INTO omni_buyer_claim (company_id, buyer_key)
                   SELECT %s, unnest(%s::varchar[])
                   ON CONFLICT (company_id, buyer_key) DO NOTHING""",
                company.id,
                sorted(keys),
            )
        )

    @api.model
    def _cron_purge_buyer_claims(self):
        """Cron (daily): delete the buyer claims no running job needs. A
        claim only stops a transaction that started before the claiming one
        committed (and so does not see its customer) from creating the
        customer again; it is not deleted by the job that made it (the
        deletion would commit with the customer and let such a transaction
        in). No job runs for a day: a claim older than that guards nothing,
        the customer it made is found by its key."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM omni_buyer_claim WHERE claimed_at < (now() AT TIME ZONE 'UTC') - %s::interval",
                CLAIM_KEPT,
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _omni_buyer_keys_taken_elsewhere(self, company, keys):
        """Of these buyer keys, those that have no customer yet and that
        another running confirmation job is creating a customer for. Every
        other key without a customer is taken by this transaction (an
        advisory lock held until it ends). A job does not wait for a key
        taken elsewhere: it leaves those orders to a later job, rather than
        waiting for the other job and then failing on the key's claim
        (serialization error) and running its whole chunk again."""
        existing = self.with_context(active_test=False).search(
            [("omni_buyer_key", "in", list(keys)), ("company_id", "in", [company.id, False])]
        )
        missing = sorted(set(keys) - set(existing.mapped("omni_buyer_key")))
        if not missing:
            return set()
        # a hash collision between two keys only sends some orders to a later job
        self.env.cr.execute(
            SQL(
                "SELECT key FROM unnest(%s::varchar[]) AS key"
                " WHERE NOT pg_try_advisory_xact_lock(%s, hashtext(key))",
                missing,
                company.id,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _omni_get_buyers(self, orders):
        """{receiver_key: partner} for the orders' receivers, creating the
        missing ones in one batch (per company)."""
        result = {}
        for company, company_orders in orders.grouped("company_id").items():
            vals_by_key = {}
            for order in company_orders:
                if order.receiver_key not in vals_by_key:
                    vals_by_key[order.receiver_key] = order
            result.update(self._omni_buyers_by_key(company, vals_by_key))
        return result

    @api.model
    def _omni_buyers_by_key(self, company, orders_by_key):
        """{key: partner} of the company's buyers with these keys; the
        missing ones are created from ``orders_by_key[key]`` (an omni.order,
        or a dict of partner values), their keys claimed first."""
        result = {}
        found = self.with_context(active_test=False).search(
            [("omni_buyer_key", "in", list(orders_by_key)), ("company_id", "in", [company.id, False])]
        )
        for partner in found:
            result.setdefault(partner.omni_buyer_key, partner)
        missing = {key: source for key, source in orders_by_key.items() if key not in result}
        if missing:
            self._omni_claim_buyer_keys(company, missing)
            vals_list = [
                source if isinstance(source, dict) else source._prepare_buyer_vals() for source in missing.values()
            ]
            # customers come from platform data, not from the user's
            # choice: created as the system, returned in the user's env
            created = guard.internal(self.sudo()).with_context(tracking_disable=True).create(vals_list)
            result.update(zip(missing, created.with_env(self.env), strict=True))
        return result

    @api.model
    def _omni_without_platform_buyers(self, records, partner_ids):
        """``partner_ids`` less the platform buyers, when ``records`` are all
        channel sale orders or their deliveries: a platform buyer hears
        from the platform, never by e-mail from us, so following them would
        only cost a follower row per order in a confirmation wave."""
        if not partner_ids or not records or not all(records.mapped("omni_channel_id")):
            return partner_ids
        # sudo: whoever confirms or delivers, only these partners' buyer keys are read
        buyers = set(self.sudo().browse(partner_ids).filtered("omni_buyer_key").ids)
        return [pid for pid in partner_ids if pid not in buyers]
