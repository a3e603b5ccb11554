/** @odoo-module **/
// Deliveries list ▸ Print E-Waybills: the tasks the server prepared (one per
// waybill service, labels in picking order) sent to the local print
// components (JSON over a WebSocket), or, for a service that gives PDF
// labels (SF), the merged PDF opened for printing.
import { Component, onMounted, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

const SEND_TIMEOUT_MS = 10000;

/** Send one print task; resolves with a short text, rejects with the reason. */
export function sendPrintTask(task) {
    if (task.pdf) {
        const bytes = Uint8Array.from(atob(task.pdf), (c) => c.charCodeAt(0));
        const url = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
        window.open(url, "_blank");
        return Promise.resolve(_t("PDF opened for printing"));
    }
    return new Promise((resolve, reject) => {
        let socket;
        try {
            socket = new WebSocket(task.url);
        } catch {
            reject(_t("the print component at %s cannot be reached", task.url));
            return;
        }
        const timer = setTimeout(() => {
            socket.close();
            reject(_t("the print component at %s did not answer", task.url));
        }, SEND_TIMEOUT_MS);
        socket.onopen = () => socket.send(JSON.stringify(task.payload));
        socket.onmessage = () => {
            clearTimeout(timer);
            socket.close();
            resolve(_t("sent to %s", task.url));
        };
        socket.onerror = () => {
            clearTimeout(timer);
            reject(_t("the print component at %s cannot be reached", task.url));
        };
    });
}

export class WaybillPrintBatch extends Component {
    static template = "omni_waybill.WaybillPrintBatch";
    static props = ["*"];

    setup() {
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
                result.text = await sendPrintTask(task);
                result.status = "sent";
            } catch (reason) {
                result.text = String(reason);
                result.status = "failed";
            }
        }
    }
}

registry.category("actions").add("omni_waybill_print_batch", WaybillPrintBatch);
