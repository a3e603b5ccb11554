# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import http
from odoo.http import request

TELEPHONY_GROUP = "omni_customer.group_omni_telephony"
AGENT_GROUP = "omni_customer.group_omni_call_agent"


class ScreenPopController(http.Controller):
    """The telephone system announces an incoming call::

        curl -X POST https://erp.example.com/omni_customer/screen_pop \\
             -H "Authorization: Bearer $PBX_API_KEY" \\
             -H "Content-Type: application/json" \\
             -d '{"number": "138-0013-8000", "extension": "801"}'

    ``PBX_API_KEY`` is an API key of a user in the group 'Telephone System
    (screen pop)'. The answer is JSON: the call id, the lookup status and
    the matching customers' ids and names; the customer card opens in the
    browser of the agent with that extension."""

    def _json(self, payload, status=200):
        return request.make_response(
            json.dumps(payload, ensure_ascii=False, default=str),
            headers=[("Content-Type", "application/json; charset=utf-8")],
            status=status,
        )

    @http.route(
        "/omni_customer/screen_pop", type="http", auth="bearer", methods=["POST"], csrf=False, save_session=False
    )
    def screen_pop(self, **params):
        env = request.env
        if not env.user.has_group(TELEPHONY_GROUP):
            return self._json({"error": env._("This user may not announce calls (group Telephone System).")}, 403)
        body = {}
        if request.httprequest.mimetype == "application/json":
            try:
                body = json.loads(request.httprequest.get_data(as_text=True) or "{}")
            except ValueError:
                return self._json({"error": env._("The body is no JSON.")}, 400)
            if not isinstance(body, dict):
                return self._json({"error": env._("The body must be a JSON object.")}, 400)
        number = str(body.get("number") or params.get("number") or "").strip()
        extension = str(body.get("extension") or params.get("extension") or "").strip()
        if not number or not extension:
            return self._json({"error": env._("Both 'number' and 'extension' are required.")}, 400)
        # among the telephone user's own companies' users
        agents = env["res.users"]._omni_agents_for_extension(extension).filtered(lambda u: u.has_group(AGENT_GROUP))
        if not agents:
            return self._json(
                {"error": env._("No call-centre agent has extension %(extension)s.", extension=extension)}, 404
            )
        if len(agents) > 1:
            return self._json(
                {
                    "error": env._(
                        "Extension %(extension)s is given to call-centre agents of several of your companies: "
                        "give each agent an extension of its own.",
                        extension=extension,
                    )
                },
                409,
            )
        agent = agents
        call, found = env["omni.call"]._register_call(number, agent, extension)
        return self._json(
            {
                "call_id": call.id,
                "status": found["status"],
                "number": found["number"],
                "agent": agent.login,
                "customers": [{"id": c["id"], "name": c["name"]} for c in found["customers"]],
            }
        )
