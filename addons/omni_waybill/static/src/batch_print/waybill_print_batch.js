/** @odoo-module **/
// Deliveries list ▸ Print E-Waybills: the tasks the server prepared (one per
// waybill service, labels in picking order) sent through the print component
// service (a local WebSocket, or the PDF labels opened for printing); the
// labels sent are marked printed.
import {Component, onMounted, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

export class WaybillPrintBatch extends Component {
    static template = "omni_waybill.WaybillPrintBatch";
    static props = ["*"];

    setup() {
        this.printComponent = useService("omni_waybill_print_component");
        this.orm = useService("orm");
        const params = this.props.action.params || {};
        this.state = useState({
            title: params.title || "",
            errors: params.errors || [],
            results: (params.tasks || []).map((task) => ({
                service: task.service,
                labels: (task.waybill_ids || []).length,
                status: "sending",
                text: "",
            })),
        });
        onMounted(() => this.sendAll(params.tasks || []));
    }

    async sendAll(tasks) {
        for (const [index, task] of tasks.entries()) {
            const result = this.state.results[index];
            try {
                await this.printComponent.send(task);
                await this.orm.call("omni.waybill", "action_mark_printed", [
                    task.waybill_ids,
                ]);
                result.status = "sent";
                result.text = task.pdf
                    ? _t("PDF opened for printing")
                    : _t("sent to %s", task.url);
            } catch (error) {
                result.status = "failed";
                result.text = _t(
                    "The print component at %(url)s did not take the labels (%(reason)s): start it and print again.",
                    {url: task.url || "", reason: error.message || String(error)}
                );
            }
        }
    }
}

registry.category("actions").add("omni_waybill_print_batch", WaybillPrintBatch);
