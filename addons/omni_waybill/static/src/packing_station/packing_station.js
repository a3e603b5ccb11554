/** @odoo-module **/
import {OmniPackingStation} from "@omni_fulfilment/packing_station/packing_station";
import {_t} from "@web/core/l10n/translation";
import {useService} from "@web/core/utils/hooks";
import {patch} from "@web/core/utils/patch";

/**
 * The packing station with waybill services: the server asks the service
 * for the number once the parcel is packed and weighed and returns the
 * label's print tasks; they go from here to the service's local print
 * component, and the labels it took are marked printed. The tracking
 * number of a service courier is shown, never typed.
 */
patch(OmniPackingStation.prototype, {
    setup() {
        super.setup(...arguments);
        this.printComponent = useService("omni_waybill_print_component");
        this.printing = false;
    },

    show(result) {
        super.show(result);
        this.sendPrintTasks();
    },

    async setParcel(values) {
        const picking = await super.setParcel(values);
        if (picking) {
            this.sendPrintTasks();
        }
        return picking;
    },

    async onRetryWaybill() {
        this.show(
            await this.call("omni_packing_request_waybill", [[this.state.picking.id]])
        );
        this.focus();
    },

    async onPrintWaybill() {
        if (!this.state.picking || !this.state.picking.waybill_service) {
            return super.onPrintWaybill();
        }
        // a service's label is printed again through its print component
        const tasks = await this.call("omni_packing_print_tasks", [
            [this.state.picking.id],
        ]);
        await this.sendPrintTasks(tasks || []);
        this.focus();
    },

    async sendPrintTasks(tasks = null) {
        const picking = this.state.picking;
        tasks = tasks || (picking && picking.print_tasks) || [];
        if (!picking || !tasks.length || this.printing) {
            return;
        }
        this.printing = true;
        try {
            const printed = [];
            for (const task of tasks) {
                if (!task.url && !task.pdf) {
                    continue;
                }
                try {
                    await this.printComponent.send(task);
                    printed.push(...task.waybill_ids);
                } catch (error) {
                    this.state.message = _t(
                        "The print component did not take the label (%s): start it, then press Print Waybill.",
                        error.message
                    );
                    this.state.level = "danger";
                }
            }
            if (printed.length) {
                const data = await this.call("omni_packing_printed", [
                    [picking.id],
                    printed,
                ]);
                if (data && this.state.picking && this.state.picking.id === data.id) {
                    this.state.picking = data;
                }
            }
        } finally {
            this.printing = false;
        }
    },
});
