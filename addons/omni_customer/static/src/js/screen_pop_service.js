/** @odoo-module **/
// Screen pop: the telephone system's call arrives on the bus (the agent's
// own channel); the newest call not shown yet opens (customer card, or the
// call to choose or create the customer). Also checked when the page starts,
// for a call that rang while it was loading.
import {registry} from "@web/core/registry";
import {user} from "@web/core/user";

export const omniScreenPopService = {
    dependencies: ["bus_service", "action", "orm"],
    async start(env, {bus_service, action, orm}) {
        const isAgent = await user.hasGroup("omni_customer.group_omni_call_agent");
        if (!isAgent) {
            return;
        }
        const pop = async () => {
            const popAction = await orm.call("omni.call", "action_take_pending", []);
            if (popAction) {
                await action.doAction(popAction);
            }
        };
        bus_service.subscribe("omni_customer/screen_pop", pop);
        bus_service.start();
        // at start, once the web client has shown its first screen (which
        // would otherwise replace the card)
        let started = false;
        const popOnce = () => {
            if (!started) {
                started = true;
                pop();
            }
        };
        env.bus.addEventListener(
            "WEB_CLIENT_READY",
            () => {
                env.bus.addEventListener("ACTION_MANAGER:UI-UPDATED", popOnce, {
                    once: true,
                });
                setTimeout(popOnce, 3000);
            },
            {once: true}
        );
    },
};

registry.category("services").add("omni_screen_pop", omniScreenPopService);
