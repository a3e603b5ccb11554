# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Review rules became records. Every channel gets its switches (the rules'
data made them on update); 'Review orders with a buyer note' off becomes the
rule switched off; orders still in review are checked again, so that their
findings are stored as facts and read in each user's language; orders past
review keep their old reason codes as findings of the matching rules."""

import logging

from odoo import SUPERUSER_ID, api

from odoo.addons.omni_channel.tools import guard

_logger = logging.getLogger(__name__)


def _column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        (table, column),
    )
    return bool(cr.fetchone())


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    channels = env["omni.channel"].search([])
    channels._omni_ensure_review_rules()
    if _column_exists(cr, "omni_channel", "review_buyer_note"):
        cr.execute("SELECT id FROM omni_channel WHERE review_buyer_note IS NOT TRUE")
        quiet = env["omni.channel"].browse([row[0] for row in cr.fetchall()])
        quiet._buyer_note_rule_lines().write({"enabled": False})

    orders = env["omni.order"].search([("state", "in", ("new", "exception", "to_review"))])
    orders._check_exceptions()
    _logger.info("omni_order: %s orders in review checked again by the review rules", len(orders))

    rules = {rule.code: rule for rule in env["omni.review.rule"].search([("company_id", "=", False)])}
    past = env["omni.order"].search(
        [("state", "not in", ("new", "exception", "to_review")), ("exception_codes", "!=", False)]
    )
    findings = []
    for order in past:
        found = [rules[code] for code in order.exception_codes.split(",") if code in rules]
        guard.internal(order).write({"exception_rule_ids": [(6, 0, [rule.id for rule in found])]})
        findings += [{"order_id": order.id, "rule_id": rule.id, "sequence": index} for index, rule in enumerate(found)]
    guard.internal(env["omni.order.exception"]).create(findings)
