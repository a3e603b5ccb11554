# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class OmniOrder(models.Model):
    _inherit = "omni.order"

    def _omni_after_shipping_change(self, status):
        """A shipped order refunded or changed on the platform becomes an
        after-sales case (a draft for the after-sales staff to complete with
        the goods coming back and to submit), once per order and platform
        status: the next pulls bring the same news again."""
        result = super()._omni_after_shipping_change(status)
        reference = f"{self.platform_order_no}/{status or '-'}"[:120]
        # the platform's news becomes a case whoever pulled (a Channel User
        # may not create after-sales orders): exactly this order's case
        Aftersale = self.env["omni.aftersale"].sudo()
        if not Aftersale.search_count(
            [("channel_id", "=", self.channel_id.id), ("platform_refund_no", "=", reference)], limit=1
        ):
            case = Aftersale.create(
                {
                    "omni_order_id": self.id,
                    "source": "platform",
                    "platform_refund_no": reference,
                    "reason": self.env._("Refunded or changed on the platform after shipping (status: %(status)s).",
                                         status=status or "-"),
                }
            )  # fmt: skip
            self.message_post(body=self.env._("After-sales case %(case)s opened.", case=case.name))
        return result
