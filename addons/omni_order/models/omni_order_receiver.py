# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Encrypted receivers (Taobao/Tmall, Pinduoduo, Douyin, JD).

What the platform gives is kept as it gave it: its id of the receiver
(``receiver_id``: Taobao's and JD's oaid, Pinduoduo's and Douyin's
open_address_id), the ciphertexts (``receiver_*_cipher``, passed untouched
to the platform's e-waybill service, which prints an encrypted receiver) and
the masked text, which stays in ``receiver_name``, ``phone`` and ``address``:
what every screen shows.

The plain receiver is asked from the platform's own decrypt API only where
it is needed (a courier that is not the platform's e-waybill:
:meth:`OmniOrder._omni_decrypt_receivers`, or a person of the group
"See Receivers in Full" pressing the button), within the platform's quota:
when it is used up the orders wait (state "waiting", the platform's words
shown) and a job tries again later; nothing is lost. The plain values are
readable by that group only.
"""

import logging

from odoo import fields, models
from odoo.exceptions import AccessError

from odoo.addons.omni_channel.tools import guard
from odoo.addons.omni_platform.platforms import PlatformError

_logger = logging.getLogger(__name__)

PLAIN_GROUP = "omni_order.group_omni_receiver_plain"
#: seconds before a decrypt refused for its quota is tried again, when the
#: platform does not say
DECRYPT_RETRY_SECONDS = 15 * 60
CIPHER_FIELDS = {
    "name": "receiver_name_cipher",
    "phone": "receiver_phone_cipher",
    "address": "receiver_address_cipher",
}
PLAIN_FIELDS = {
    "receiver_name": "receiver_name_plain",
    "phone": "receiver_phone_plain",
    "address": "receiver_address_plain",
}


class OmniOrder(models.Model):
    _inherit = "omni.order"

    receiver_id = fields.Char(
        string="Platform Receiver ID",
        readonly=True,
        index=True,
        copy=False,
        help="The platform's id of the receiver and address (Taobao and JD: oaid; Pinduoduo and Douyin: "
        "open_address_id). Orders with the same id have the same receiver: merges and buyer checks use it.",
    )
    receiver_encrypted = fields.Boolean(
        readonly=True,
        copy=False,
        help="The platform gave the receiver encrypted: name, phone and address show its masked text.",
    )
    receiver_name_cipher = fields.Char(string="Receiver Name (Ciphertext)", readonly=True, copy=False)
    receiver_phone_cipher = fields.Char(string="Receiver Phone (Ciphertext)", readonly=True, copy=False)
    receiver_address_cipher = fields.Char(string="Receiver Address (Ciphertext)", readonly=True, copy=False)
    receiver_decrypt_state = fields.Selection(
        [("waiting", "Waiting for the Platform"), ("failed", "Refused"), ("done", "Decrypted")],
        string="Decryption",
        readonly=True,
        copy=False,
        help="Waiting: the platform's decrypt quota is used up or it did not answer; tried again later.",
    )
    receiver_decrypt_error = fields.Char(string="Decryption Problem", readonly=True, copy=False)
    receiver_name_plain = fields.Char(string="Receiver Name (Decrypted)", readonly=True, copy=False, groups=PLAIN_GROUP)
    receiver_phone_plain = fields.Char(
        string="Receiver Phone (Decrypted)", readonly=True, copy=False, groups=PLAIN_GROUP
    )
    receiver_address_plain = fields.Char(
        string="Receiver Address (Decrypted)", readonly=True, copy=False, groups=PLAIN_GROUP
    )

    # --- staging ------------------------------------------------------------
    def _prepare_receiver_vals(self, order):
        """Receiver id and ciphertexts of a public order (platforms/base.py)."""
        cipher = order.get("receiver_cipher") or {}
        if not isinstance(cipher, dict):
            cipher = {}
        vals = {field: str(cipher.get(kind) or "").strip() or False for kind, field in CIPHER_FIELDS.items()}
        vals["receiver_id"] = str(order.get("receiver_id") or "").strip() or False
        vals["receiver_encrypted"] = bool(vals["receiver_id"] or any(cipher.values()))
        return vals

    # --- decryption ---------------------------------------------------------
    def action_decrypt_receiver(self):
        """Button: ask the platform for the plain receiver of these orders.
        Only for the group that may see receivers in full."""
        if not self.env.user.has_group(PLAIN_GROUP):
            raise AccessError(self.env._("Only users who may see receivers in full decrypt them."))
        self.check_access("read")
        self._omni_decrypt_receivers()
        return True

    def _omni_receivers_to_decrypt(self):
        return self.filtered(lambda o: o.receiver_encrypted and o.receiver_decrypt_state != "done")

    def _omni_decrypt_receivers(self):
        """Decrypt the encrypted receivers of these orders through their
        platform's decrypt API (one adapter per channel). For the callers
        that need the plain receiver (a courier that is not the platform's
        e-waybill): they checked their own rights; the plain values are
        written with sudo on exactly these orders (the fields are the
        group's). Returns the orders decrypted."""
        done = self.browse()
        for channel, orders in self._omni_receivers_to_decrypt().grouped("channel_id").items():
            receivers = [
                {
                    "platform_order_no": order.platform_order_no,
                    "receiver_id": order.receiver_id or "",
                    "cipher": {kind: order[field] or "" for kind, field in CIPHER_FIELDS.items()},
                }
                for order in orders
            ]
            error, answers = None, {}
            try:
                with channel._get_adapter() as adapter:
                    answers = adapter.decrypt_receivers(receivers)
            except PlatformError as err:
                error, answers = err, getattr(err, "partial_results", {}) or {}
            by_no = {order.platform_order_no: order for order in orders}
            for number, answer in answers.items():
                order = by_no.get(number)
                if order is None:
                    continue
                if answer.get("error"):
                    guard.internal(order).write(
                        {"receiver_decrypt_state": "failed", "receiver_decrypt_error": answer["error"]}
                    )
                    continue
                vals = {PLAIN_FIELDS[key]: answer.get(key) or False for key in PLAIN_FIELDS}
                # the decrypted receiver is the group's to read: written for
                # the caller on exactly this order
                guard.internal(order.sudo()).write(
                    {**vals, "receiver_decrypt_state": "done", "receiver_decrypt_error": False}
                )
                done |= order
            left = orders.filtered(lambda o, answered=answers: o.platform_order_no not in answered)
            if error is not None and left:
                _logger.warning("Channel %s: receivers not decrypted: %s", channel.code or channel.id, error)
                state = "waiting" if error.retryable else "failed"
                guard.internal(left).write({"receiver_decrypt_state": state, "receiver_decrypt_error": str(error)})
                if error.retryable:
                    channel._omni_queue_receiver_decrypt(getattr(error, "retry_after", None))
        return done


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    def _omni_queue_receiver_decrypt(self, retry_after=None):
        """Queue one retry of the channel's waiting decryptions (one job per
        channel at a time)."""
        self.ensure_one()
        return self.with_delay(
            eta=int(retry_after or DECRYPT_RETRY_SECONDS),
            identity_key=f"omni_decrypt_{self.id}",
            description=self.env._("Decrypt waiting receivers of %(channel)s", channel=self.display_name),
        )._omni_retry_receiver_decrypt()

    def _omni_retry_receiver_decrypt(self):
        """Job: decrypt the channel's receivers that wait for the platform."""
        self.ensure_one()
        waiting = self.env["omni.order"].search(
            [("channel_id", "=", self.id), ("receiver_decrypt_state", "=", "waiting")]
        )
        return bool(waiting._omni_decrypt_receivers())
