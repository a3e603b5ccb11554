# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A stand-in SF Express open platform (丰桥, ``POST /std/service``) on 127.0.0.1.

Built from the public definitions (see readme/REFERENCES.md), not from our
client: it checks ``partnerID``, ``requestID``, ``serviceCode``,
``timestamp`` (within 10 minutes) and ``msgDigest`` (base64 MD5 of the
URL-encoded ``msgData + timestamp + checkword``, computed here), answers
``{"apiResultCode", "apiErrorMsg", "apiResponseID", "apiResultData"}`` with
``apiResultData`` a JSON text, and serves

* ``EXP_RECE_CREATE_ORDER``: a new ``orderId`` gets a number (and children
  for ``parcelQty`` > 1) and its routing label; a known ``orderId`` is
  refused (8016 重复下单); a province of ``unserved`` gets ``filterResult``
  3 (不可以收派); a monthly card with no balance left is refused (8119);
* ``EXP_RECE_SEARCH_ORDER_RESP``: the answer of an ``orderId`` (8018 when
  unknown);
* ``EXP_RECE_UPDATE_ORDER`` ``dealType`` 2: cancels (8037 when cancelled);
* ``COM_RECE_CLOUD_PRINT_WAYBILLS``: at most 20 documents; files with a
  ``url`` on this server and a ``token``; ``GET`` of the url with
  ``X-Auth-token`` gives a small PDF naming the number.
"""

import base64
import hashlib
import itertools
import json
import time
import uuid
from urllib.parse import quote_plus

from odoo.addons.omni_platform.tests.platform_stub import PlatformStub

FORM_KEYS = ("partnerID", "requestID", "serviceCode", "timestamp", "msgData", "msgDigest")


def sf_digest(msg_data, timestamp, check_word):
    encoded = quote_plus(msg_data + timestamp + check_word)
    return base64.b64encode(hashlib.md5(encoded.encode("utf-8"), usedforsecurity=False).digest()).decode("ascii")


def label_pdf(number):
    """A one-page 76 x 130 mm PDF that says the number (valid: it merges)."""
    text = f"BT /F1 14 Tf 20 300 Td (SF {number}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 215 369] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (index, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class SfStub(PlatformStub):
    def __init__(self, *, partner_id="SF-PARTNER", check_word="sf-check-word", balance=1000, unserved=(),
                 prefix="SF14", **options):  # fmt: skip
        options.setdefault("router_path", "/std/service")
        super().__init__((), **options)
        self.partner_id = partner_id
        self.check_word = check_word
        self.balance = balance
        self.unserved = set(unserved)
        self.orders = {}  # orderId -> create answer (msgData) + cancelled
        self.tokens = {}
        self._numbers = itertools.count(1)
        self.prefix = prefix
        #: seconds every answer takes (0 in tests; the benchmark sets a realistic one)
        self.latency = 0.0

    def reset(self):
        """Forget requests and queued behaviours, and every number issued."""
        result = super().reset()
        with self._lock:
            self.orders.clear()
            self.tokens.clear()
        return result

    def calls(self, service):
        return [r for r in self.requests if r.form.get("serviceCode") == service]

    def _api(self, code="A1000", data=None, message=""):
        body = {"apiResultCode": code, "apiErrorMsg": message, "apiResponseID": uuid.uuid4().hex}
        body["apiResultData"] = json.dumps(data, ensure_ascii=False) if data is not None else None
        return self._answer(body)

    @staticmethod
    def _fail(code, message):
        return {"success": False, "errorCode": code, "errorMsg": message, "msgData": None}

    @staticmethod
    def _ok(msg):
        return {"success": True, "errorCode": "S0000", "errorMsg": None, "msgData": msg}

    def _route(self, recorded):
        if self.latency:
            time.sleep(self.latency)  # the network and the service (benchmarks)
        if recorded.method == "GET" and recorded.path.startswith("/print/"):
            number = recorded.path.rsplit("/", 1)[-1].removesuffix(".pdf")
            if self.tokens.get(number) != recorded.headers.get("X-Auth-token"):
                return 403, {"Content-Type": "text/plain"}, b"forbidden"
            return 200, {"Content-Type": "application/pdf"}, label_pdf(number)
        if recorded.method != "POST" or recorded.path != self.router_path:
            return self._api("A1001", message="not found")
        form = recorded.form
        missing = [key for key in FORM_KEYS if not form.get(key)]
        if missing:
            return self._api("A1001", message=f"必传参数不可为空: {','.join(missing)}")
        if form["partnerID"] != self.partner_id:
            return self._api("A1004", message="无对应服务权限")
        if not form["timestamp"].isdigit() or abs(int(form["timestamp"][:10]) - time.time()) > 600:
            return self._api("A1002", message="请求时效已过期")
        if form["msgDigest"] != sf_digest(form["msgData"], form["timestamp"], self.check_word):
            return self._api("A1006", message="数字签名无效")
        try:
            msg = json.loads(form["msgData"])
        except ValueError:
            return self._api("A1001", message="msgData 不是JSON")
        handler = {
            "EXP_RECE_CREATE_ORDER": self._create,
            "EXP_RECE_SEARCH_ORDER_RESP": self._search,
            "EXP_RECE_UPDATE_ORDER": self._update,
            "COM_RECE_CLOUD_PRINT_WAYBILLS": self._print,
        }.get(form["serviceCode"])
        if handler is None:
            return self._api("A1004", message="无对应服务权限")
        with self._lock:
            return self._api(data=handler(msg))

    def _create(self, msg):
        order_id = msg.get("orderId")
        contacts = {c.get("contactType"): c for c in msg.get("contactInfoList") or []}
        if not order_id or not msg.get("cargoDetails"):
            return self._fail("1000", "orderId/cargoDetails 不能为空")
        if order_id in self.orders:
            return self._fail("8016", "重复下单")
        for kind, label in ((1, "寄件"), (2, "到件")):
            contact = contacts.get(kind) or {}
            if not contact.get("address"):
                return self._fail("1010" if kind == 1 else "1014", f"{label}地址不能为空")
            if not contact.get("contact"):
                return self._fail("1011" if kind == 1 else "1015", f"{label}联系人不能为空")
        receiver = contacts[2]
        if receiver.get("province") in self.unserved:
            answer = {"orderId": order_id, "filterResult": 3, "remark": "1：收方超范围", "waybillNoInfoList": []}
            return self._ok(answer)
        count = int(msg.get("parcelQty") or 1)
        if self.balance < count:
            return self._fail("8119", "月结卡号不存在或已失效")
        self.balance -= count
        numbers = [f"{self.prefix}{next(self._numbers):09d}" for _i in range(count)]
        answer = {
            "orderId": order_id,
            "originCode": "021",
            "destCode": "755",
            "filterResult": 2,
            "waybillNoInfoList": [{"waybillType": 1 if i == 0 else 2, "waybillNo": n} for i, n in enumerate(numbers)],
            "routeLabelInfo": [
                {"code": "1000", "message": "SUCCESS",
                 "routeLabelData": {"waybillNo": numbers[0], "destRouteLabel": "755WE-571A", "codingMapping": "S10",
                                    "twoDimensionCode": f"MMM={{'k1':'755WE','k5':'{numbers[0]}'}}", "proCode": "T4",
                                    "destTeamCode": "001"}}
            ],
        }  # fmt: skip
        self.orders[order_id] = {"answer": answer, "cancelled": False}
        return self._ok(answer)

    def _search(self, msg):
        order = self.orders.get(msg.get("orderId"))
        if order is None:
            return self._fail("8018", "未获取到订单信息")
        return self._ok(order["answer"])

    def _update(self, msg):
        order = self.orders.get(msg.get("orderId"))
        if order is None:
            return self._fail("8018", "未获取到订单信息")
        if int(msg.get("dealType") or 1) != 2:
            return self._ok({"orderId": msg["orderId"], "resStatus": 2})
        if order["cancelled"]:
            return self._fail("8037", "订单已取消")
        order["cancelled"] = True
        return self._ok({"orderId": msg["orderId"], "resStatus": 2,
                         "waybillNoInfoList": order["answer"]["waybillNoInfoList"]})  # fmt: skip

    def _print(self, msg):
        documents = msg.get("documents") or []
        if msg.get("version") != "2.0" or not msg.get("templateCode") or not documents or len(documents) > 20:
            return {"success": False, "errorCode": "PARAM_ERR", "errorMessage": "templateCode/version/documents(≤20)"}
        live = {
            info["waybillNo"]
            for order in self.orders.values()
            if not order["cancelled"]
            for info in order["answer"]["waybillNoInfoList"]
        }
        files = []
        for document in documents:
            number = document.get("masterWaybillNo")
            if number not in live:
                continue
            token = uuid.uuid4().hex
            self.tokens[number] = token
            files.append({"url": f"{self.url}/print/{number}.pdf", "token": token, "waybillNo": number,
                          "seqNo": 1, "areaNo": 1, "pageNo": 1})  # fmt: skip
        return {"success": True, "requestId": uuid.uuid4().hex, "obj": {"files": files}}

    def live_numbers(self):
        return sorted(
            info["waybillNo"]
            for order in self.orders.values()
            if not order["cancelled"]
            for info in order["answer"]["waybillNoInfoList"]
        )
