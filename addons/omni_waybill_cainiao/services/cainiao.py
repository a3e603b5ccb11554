# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Cainiao's waybill API as the Taobao Open Platform (TOP) serves it (no
Odoo import): the TOP transport of ``omni_platform`` (signature, HTTP
client, error family) with the cainiao.* methods. Shapes and field names:
readme/REFERENCES.md.

Every answer comes back as plain Python data; every failure as
:class:`~odoo.addons.omni_waybill.services.WaybillError` with Cainiao's own
reason (its ``sub_msg``), :class:`WaybillTimeout` when it did not answer.
"""

import json
import uuid

from odoo.addons.omni_platform.platforms.base import PlatformConnectionError, PlatformError
from odoo.addons.omni_platform.platforms.taobao_top import TaobaoTopAdapter
from odoo.addons.omni_waybill.services import WaybillError, WaybillTimeout

GET_METHOD = "cainiao.waybill.ii.get"
CANCEL_METHOD = "cainiao.waybill.ii.cancel"
QUERY_METHOD = "cainiao.waybill.ii.query.by.tradecode"
TEMPLATES_METHOD = "cainiao.cloudprint.stdtemplates.get"
#: "请求面单信息，数量限制为10" (WaybillCloudPrintApplyNewRequest.trade_order_info_dtos)
BATCH_SIZE = 10
#: the local print component (菜鸟打印组件 CNPrint) listens here
PRINT_COMPONENT_URL = "ws://127.0.0.1:13528"
#: order_info.order_channels_type by our platform
ORDER_CHANNELS = {
    "tmall": "TM",
    "taobao": "TB",
    "jd": "JD",
    "pinduoduo": "PDD",
    "douyin": "DY",
}


def _items(wrapper, key):
    """TOP JSON wraps lists: {"modules": {"waybill_cloud_print_response": [...]}}."""
    if isinstance(wrapper, dict):
        wrapper = wrapper.get(key, [])
    if isinstance(wrapper, dict):
        wrapper = [wrapper]
    return wrapper if isinstance(wrapper, list) else []


class CainiaoClient(TaobaoTopAdapter):
    """The TOP client with Cainiao's waybill methods (it never pulls orders)."""

    kind = "cainiao_waybill"
    label = "Cainiao"

    def __init__(self, **config):
        # one attempt: a number may have been issued before a timeout; the
        # framework asks again by object_id, never blindly
        config.setdefault("retries", 1)
        super().__init__(**config)

    def call(self, api_method, **business):
        try:
            return self._body(self._call(api_method, **business), api_method)
        except PlatformConnectionError as exc:
            raise WaybillTimeout(exc.detail or exc.message, code="timeout") from exc
        except PlatformError as exc:
            reason = getattr(exc, "detail", "") or exc.message
            raise WaybillError(reason, code=getattr(exc, "sub_code", None) or exc.status) from exc

    def _body(self, payload, api_method):
        key = api_method.replace(".", "_") + "_response"
        body = payload.get(key)
        if not isinstance(body, dict):
            raise self._response_error(api_method, f"returned no '{key}' object", payload)
        return body

    # -- the API
    def get_waybills(self, cp_code, sender, orders, product_code=None):
        """cainiao.waybill.ii.get for at most 10 trade orders (dicts of
        TradeOrderInfoDto): [WaybillCloudPrintResponse dict]."""
        if len(orders) > BATCH_SIZE:
            raise ValueError(f"Cainiao issues at most {BATCH_SIZE} waybills per request")
        request = {"cp_code": cp_code, "sender": sender, "trade_order_info_dtos": orders, "need_encrypt": False}
        if product_code:
            request["product_code"] = product_code
        body = self.call(
            GET_METHOD, param_waybill_cloud_print_apply_new_request=json.dumps(request, ensure_ascii=False)
        )
        return _items(body.get("modules"), "waybill_cloud_print_response")

    def query_waybills(self, keys):
        """cainiao.waybill.ii.query.by.tradecode: ``keys`` = [(order number,
        object_id)]; the numbers Cainiao issued for them."""
        params = [{"biz_sub_code": order, "object_id": object_id} for order, object_id in keys]
        body = self.call(QUERY_METHOD, param_list=json.dumps(params, ensure_ascii=False))
        found = []
        for module in _items(body.get("modules"), "waybill_cloud_print_with_result_desc_response"):
            if module.get("success") and module.get("waybill_cloud_print_response"):
                found.append(dict(module["waybill_cloud_print_response"], object_id=module.get("object_id")))
        return found

    def cancel_waybill(self, cp_code, waybill_code):
        body = self.call(CANCEL_METHOD, cp_code=cp_code, waybill_code=waybill_code)
        if not body.get("cancel_result"):
            raise WaybillError(f"{waybill_code}: cancel_result false")
        return True

    def standard_templates(self):
        """cainiao.cloudprint.stdtemplates.get: {cp_code: [StandardTemplateDo dict]}."""
        body = self.call(TEMPLATES_METHOD)
        result = body.get("result") or {}
        if result.get("success") is False:
            raise WaybillError(result.get("error_message") or "", code=result.get("error_code"))
        templates = {}
        for cp in _items(result.get("datas"), "standard_template_result"):
            templates[cp.get("cp_code")] = _items(cp.get("standard_templates"), "standard_template_do")
        return templates


def print_task(documents, printer=""):
    """The CNPrint ``print`` command for ``documents`` = [(waybill number,
    print data dict)]: what the browser sends to the print component."""
    return {
        "cmd": "print",
        "requestID": uuid.uuid4().hex[:16],
        "version": "1.0",
        "task": {
            "taskID": uuid.uuid4().hex[:16],
            "preview": False,
            "printer": printer,
            "documents": [{"documentID": number, "contents": [data]} for number, data in documents],
        },
    }
