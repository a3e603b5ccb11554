# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import WaybillTestMixin


@tagged("post_install", "-at_install")
class TestWaybillRequests(WaybillTestMixin, TransactionCase):
    """Numbers from a waybill service: idempotent per parcel, a timeout
    after issuing found again, refusals kept with the service's reason,
    batches, cancellation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_waybill()

    def test_same_parcel_asked_twice_gets_the_same_number(self):
        picking = self._delivery("WB1", self.zto_service)
        self.assertEqual(picking._omni_waybill_request(), {})
        number = picking.carrier_tracking_ref
        self.assertTrue(number.startswith("ZT7"))
        self.assertEqual(picking._omni_waybill_request(), {})
        picking.action_omni_waybill_request()
        self.assertEqual(picking.carrier_tracking_ref, number)
        self.assertEqual(len(picking.omni_waybill_ids), 1)
        self.assertEqual([c[0] for c in self.service.calls], ["issue"], "asked once only")
        waybill = picking.omni_waybill_ids
        self.assertEqual((waybill.state, waybill.number, waybill.account_id), ("issued", number, self.account))

    def test_timeout_after_issue_retry_finds_that_number(self):
        picking = self._delivery("WB2", self.zto_service)
        self.service.timeout_after_issue = True
        errors = picking._omni_waybill_request()
        self.assertIn("no answer within 15 s", errors[picking])
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertEqual(picking.omni_waybill_ids.state, "requested")
        issued_at_service = next(iter(self.service.numbers.values()))
        balance = self.service.balance
        self.assertEqual(picking._omni_waybill_request(), {})
        self.assertEqual(picking.carrier_tracking_ref, issued_at_service)
        self.assertEqual(self.service.calls[-1][0], "query", "the retry asked by request key, not for a new number")
        self.assertEqual(self.service.balance, balance, "no second number taken")
        self.assertFalse(picking.omni_waybill_error)

    def test_refusal_keeps_the_delivery_unshipped_with_the_reason(self):
        picking = self._delivery("WB3", self.zto_service)
        self.service.balance = 0
        errors = picking._omni_waybill_request()
        self.assertIn("电子面单余额不足", errors[picking])
        self.assertIn("电子面单余额不足", picking.omni_waybill_error)
        self.assertFalse(picking.carrier_tracking_ref)
        with self.assertRaises(UserError) as err:
            picking.action_omni_waybill_request()
        self.assertIn("电子面单余额不足", str(err.exception))
        self.service.balance = 5
        picking.action_omni_waybill_request()
        self.assertTrue(picking.carrier_tracking_ref)
        self.assertFalse(picking.omni_waybill_error)

    def test_parcel_refused_by_address(self):
        picking = self._delivery("WB4", self.zto_service)
        key = picking._omni_waybill_request_key(self.zto_service, 1)
        self.service.refuse_keys[key] = "地址不可达 (remote area not served)"
        errors = picking._omni_waybill_request()
        self.assertIn("地址不可达", errors[picking])
        self.assertIn(picking.name, errors[picking])

    def test_account_not_configured(self):
        self.account.active = False
        picking = self._delivery("WB5", self.zto_service)
        errors = picking._omni_waybill_request()
        self.assertIn("no service account", errors[picking])
        self.assertFalse(self.service.calls)

    def test_shop_account_before_company_account(self):
        shop = self.account.copy({"name": "Shop's own", "channel_id": self.channel.id})
        picking = self._delivery("WB6", self.zto_service)
        picking._omni_waybill_request()
        self.assertEqual(picking.omni_waybill_ids.account_id, shop)

    def test_batches_of_the_service_size(self):
        self.service.size = 2
        pickings = self.Picking.browse()
        for index in range(5):
            pickings |= self._delivery(f"WB7{index}", self.zto_service)
        pickings[0].omni_parcel_count = 2
        self.assertEqual(pickings._omni_waybill_request(), {})
        issues = [keys for kind, keys in self.service.calls if kind == "issue"]
        self.assertEqual([len(keys) for keys in issues], [2, 2, 2])
        self.assertEqual(len(pickings._omni_waybill_live()), 6)
        self.assertEqual(len(set(pickings._omni_waybill_live().mapped("number"))), 6)

    def test_tracking_number_is_never_typed_for_a_service(self):
        picking = self._delivery("WB8", self.zto_service)
        with self.assertRaises(UserError) as err:
            picking.carrier_tracking_ref = "ZT7123456789"
        self.assertIn("never typed", str(err.exception))
        manual = self._delivery("WB9", self.zto_manual)
        manual.carrier_tracking_ref = "ZT7123456789"
        self.assertEqual(manual.carrier_tracking_ref, "ZT7123456789")

    def test_courier_switch_needs_the_number_cancelled(self):
        picking = self._delivery("WB10", self.zto_service)
        picking._omni_waybill_request()
        with self.assertRaises(UserError):
            picking.carrier_id = self.zto_manual
        picking.action_omni_waybill_cancel()
        picking.carrier_id = self.zto_manual
        self.assertFalse(picking.carrier_tracking_ref)

    def test_courier_switch_settles_the_unanswered_requests(self):
        # never sent (no account yet): cancelled, the service never asked
        self.account.active = False
        unsent = self._delivery("WB10A", self.zto_service)
        unsent._omni_waybill_request()
        self.assertEqual(unsent.omni_waybill_ids.state, "requested")
        unsent.carrier_id = self.zto_manual
        self.assertEqual(unsent.omni_waybill_ids.state, "cancelled")
        self.assertFalse(self.service.calls)
        self.account.active = True
        # sent, the answer lost after the service issued a number: looked up,
        # given back to the service (never printed) and cancelled here
        lost = self._delivery("WB10B", self.zto_service)
        self.service.timeout_after_issue = True
        lost._omni_waybill_request()
        [issued_at_service] = self.service.numbers.values()
        lost.carrier_id = self.zto_manual
        self.assertEqual((lost.omni_waybill_ids.state, lost.omni_waybill_ids.number), ("cancelled", issued_at_service))
        self.assertIn(issued_at_service, self.service.cancelled)
        self.assertFalse(lost.carrier_tracking_ref, "the manual courier's number is scanned, not the cancelled one")
        lost.carrier_tracking_ref = "ZT7000000777"
        # sent and refused (no number at the service): cancelled after the lookup
        refused = self._delivery("WB10C", self.zto_service)
        self.service.refuse = "系统繁忙"
        refused._omni_waybill_request()
        self.service.refuse = None
        refused.carrier_id = self.zto_manual
        self.assertEqual(refused.omni_waybill_ids.state, "cancelled")
        self.assertEqual(self.service.calls[-1][0], "query")
        # the lookup fails: the request stays requested, with a note saying so
        down = self._delivery("WB10D", self.zto_service)
        self.service.timeout_after_issue = True
        down._omni_waybill_request()
        self.service.refuse_query = "服务不可用 (service unavailable)"
        down.carrier_id = self.zto_manual
        self.assertEqual(down.carrier_id, self.zto_manual)
        self.assertEqual(down.omni_waybill_ids.state, "requested")
        self.assertIn("服务不可用", down.message_ids[:1].body)
        # ... until it is cancelled (or asked again, once back on that courier)
        down.omni_waybill_ids.action_cancel()
        self.assertEqual(down.omni_waybill_ids.state, "cancelled")

    def test_cancelled_number_is_never_reused(self):
        picking = self._delivery("WB11", self.zto_service)
        picking._omni_waybill_request()
        first = picking.carrier_tracking_ref
        picking.action_omni_waybill_cancel()
        self.assertIn(first, self.service.cancelled)
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertEqual(picking.omni_waybill_ids.state, "cancelled")
        picking._omni_waybill_request()
        self.assertNotEqual(picking.carrier_tracking_ref, first)
        self.assertEqual(len(picking.omni_waybill_ids), 2)
        with self.assertRaises(UserError):
            picking.omni_waybill_ids.unlink()

    def test_cancel_refused_by_the_service_changes_nothing(self):
        picking = self._delivery("WB12", self.zto_service)
        picking._omni_waybill_request()
        self.service.refuse = "已揽收，不能取消 (already collected)"
        with self.assertRaises(UserError) as err:
            picking.action_omni_waybill_cancel()
        self.assertIn("already collected", str(err.exception))
        self.assertEqual(picking.omni_waybill_ids.state, "issued")

    def test_state_is_guarded(self):
        picking = self._delivery("WB13", self.zto_service)
        picking._omni_waybill_request()
        with self.assertRaises(UserError):
            picking.omni_waybill_ids.write({"state": "cancelled"})

    def test_core_validation_gets_the_number(self):
        """Odoo's validation (stock_delivery's send_to_shipper) asks the service."""
        picking = self._delivery("WB14", self.zto_service)
        picking.picking_type_id.print_label = True
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.carrier_tracking_ref.startswith("ZT7"))
        self.assertEqual(picking.omni_waybill_ids.number, picking.carrier_tracking_ref)

    def test_reconciliation_no_longer_expects_a_cancelled_number(self):
        picking = self._delivery("WB15", self.zto_service)
        picking._omni_waybill_request()
        number = picking.carrier_tracking_ref
        picking.move_ids.picked = True
        picking.button_validate()
        Statement = self.env["courier.statement"]
        # the ZTO statement's courier is the labels carrier: parcels are read by courier code
        period = {"carrier": self.zto_manual, "date_from": date(2000, 1, 1), "date_to": date(2100, 1, 1)}
        self.assertIn(number, Statement._fetch_parcels(self.company, **period))
        self.assertIn(number, Statement._fetch_parcels(self.company, tracking_nos=[number]))
        picking.action_omni_waybill_cancel()
        self.assertEqual(picking.omni_waybill_ids.state, "cancelled")
        self.assertNotIn(number, Statement._fetch_parcels(self.company, **period))
        self.assertNotIn(number, Statement._fetch_parcels(self.company, tracking_nos=[number]))

    def test_inventory_user_gets_and_cancels_numbers(self):
        """A packer with Inventory rights only: no group of ours, no access to
        the service accounts, still gets the number and cancels it."""
        packer = self.env["res.users"].create(
            {"name": "Packer", "login": "wb_packer", "company_id": self.company.id,
             "company_ids": [(6, 0, self.company.ids)],
             "groups_id": [(6, 0, [self.env.ref("stock.group_stock_user").id])]}
        )  # fmt: skip
        picking = self._delivery("WB16", self.zto_service).with_user(packer)
        picking.action_omni_waybill_request()
        self.assertTrue(picking.carrier_tracking_ref)
        with self.assertRaises(AccessError):
            self.account.with_user(packer).read(["app_key"])
        picking.action_omni_waybill_cancel()
        self.assertEqual(picking.omni_waybill_ids.state, "cancelled")

    def test_code_shared_by_service_and_manual_carrier(self):
        Carrier = self.env["delivery.carrier"]
        self.assertEqual(Carrier._omni_get_by_code("ZTO"), self.zto_manual, "a typed code names the plain courier")
        with self.assertRaises(ValidationError):
            self.zto_manual.copy({"omni_courier_code": "ZTO"})


@tagged("post_install", "-at_install")
class TestWaybillRouting(WaybillTestMixin, TransactionCase):
    """Rules per channel, encrypted receivers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_waybill()
        cls.rule = cls.env["omni.waybill.rule"].create({"channel_id": cls.channel.id, "carrier_id": cls.zto_service.id})

    def test_rule_gives_the_courier(self):
        picking = self._delivery("RT1")
        self.assertFalse(picking.carrier_id)
        self.assertEqual(picking._omni_waybill_request(), {})
        self.assertEqual(picking.carrier_id, self.zto_service)
        self.assertTrue(picking.carrier_tracking_ref)

    def test_rule_by_province(self):
        beijing = self.env["res.country.state"].search([("country_id.code", "=", "CN")], limit=1)
        self.rule.state_ids = beijing
        self.env["omni.waybill.rule"].create(
            {"channel_id": self.channel.id, "carrier_id": self.zto_manual.id, "sequence": 20}
        )
        picking = self._delivery("RT2")
        picking._omni_waybill_route()
        self.assertEqual(picking.carrier_id, self.zto_manual)

    def test_encrypted_receiver_needs_the_platforms_service(self):
        picking = self._delivery("RT3", self.zto_service)
        picking.sale_id.omni_receiver_encrypted = True
        self.service.platforms = ("pinduoduo",)
        errors = picking._omni_waybill_request()
        self.assertIn("encrypted", errors[picking])
        self.assertFalse(self.service.calls)
        self.service.platforms = ("tmall",)
        self.assertEqual(picking._omni_waybill_request(), {})

    def test_encrypted_receiver_refused_by_a_manual_courier(self):
        picking = self._delivery("RT4", self.zto_manual)
        picking.sale_id.omni_receiver_encrypted = True
        picking.move_ids.picked = True
        with self.assertRaises(UserError) as err:
            picking.button_validate()
        self.assertIn("receiver is encrypted", str(err.exception))
        self.assertNotEqual(picking.state, "done")

    def test_rule_skipped_when_it_cannot_print(self):
        self.service.platforms = ()
        self.env["omni.waybill.rule"].create(
            {"channel_id": self.channel.id, "carrier_id": self.zto_manual.id, "sequence": 20}
        )
        picking = self._delivery("RT5")
        picking.sale_id.omni_receiver_encrypted = True
        errors = picking._omni_waybill_request()
        self.assertIn("encrypted", errors[picking])
        self.assertFalse(picking.carrier_id)


@tagged("post_install", "-at_install")
class TestWaybillEncryptedPlatformOrder(WaybillTestMixin, TransactionCase):
    """A platform order staged with an encrypted receiver (omni_order's
    receiver fields, filled by the adapters) is shipped through its
    platform's service with the ciphertext and receiver id, untouched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_waybill()

    def _encrypted_delivery(self, number, carrier):
        return self._delivery(
            number,
            carrier,
            receiver_name="王*",
            phone="138****0000",
            receiver_id="AAHmOaid01",
            receiver_cipher={"name": "~NmCipher~", "phone": "~TelCipher~", "address": "~AddrCipher~"},
        )

    def test_ciphertext_and_receiver_id_reach_the_service(self):
        picking = self._encrypted_delivery("ENC1", self.zto_service)
        self.assertTrue(picking.sale_id.omni_order_ids.receiver_encrypted)
        self.assertEqual(picking._omni_waybill_encrypted_platform(), picking.sale_id.omni_channel_id.platform)
        self.assertEqual(
            picking._omni_waybill_encrypted_receiver(),
            {
                "oaid": "AAHmOaid01",
                "receiver_id": "AAHmOaid01",
                "name": "~NmCipher~",
                "phone": "~TelCipher~",
                "mobile": "~TelCipher~",
                "address": "~AddrCipher~",
            },
        )
        self.assertEqual(picking._omni_waybill_request(), {})
        self.assertTrue(picking.carrier_tracking_ref)

    def test_encrypted_platform_order_refused_by_a_service_that_cannot_print_it(self):
        picking = self._encrypted_delivery("ENC2", self.zto_service)
        self.service.platforms = ("pinduoduo",)
        errors = picking._omni_waybill_request()
        self.assertIn("encrypted", errors[picking])
        self.assertFalse(picking.carrier_tracking_ref)

    def test_plain_receiver_sends_no_ciphertext(self):
        picking = self._delivery("ENC3", self.zto_service)
        self.assertEqual(picking._omni_waybill_encrypted_receiver(), {})
        self.assertFalse(picking._omni_waybill_encrypted_platform())
