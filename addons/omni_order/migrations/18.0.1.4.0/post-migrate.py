# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A merged-away order ends in its own state, 'merged': it leaves the review
queue, the exception list and the overview's counts; its findings are the
survivor's to handle (checked again with the survivor's lines)."""


def migrate(cr, version):
    cr.execute(
        """
        DELETE FROM omni_order_exception ex
         USING omni_order o
         WHERE ex.order_id = o.id AND o.merged_into_id IS NOT NULL
        """
    )
    cr.execute(
        """
        DELETE FROM omni_order_review_rule_rel rel
         USING omni_order o
         WHERE rel.order_id = o.id AND o.merged_into_id IS NOT NULL
        """
    )
    cr.execute(
        """
        UPDATE omni_order SET state = 'merged', exception_codes = NULL
         WHERE merged_into_id IS NOT NULL AND state != 'merged'
        """
    )
    # who may override a rule's finding: the Channel Managers, as confirming an exception needed before
    cr.execute(
        """
        INSERT INTO omni_review_rule_override_group_rel (rule_id, group_id)
        SELECT rule.id, imd.res_id
          FROM omni_review_rule rule
          JOIN ir_model_data imd ON imd.module = 'omni_channel' AND imd.name = 'group_omni_channel_manager'
         WHERE NOT EXISTS (SELECT 1 FROM omni_review_rule_override_group_rel rel WHERE rel.rule_id = rule.id)
        ON CONFLICT DO NOTHING
        """
    )
