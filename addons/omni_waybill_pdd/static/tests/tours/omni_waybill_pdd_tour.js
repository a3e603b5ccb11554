/** @odoo-module **/
import {registry} from "@web/core/registry";

const BARCODE = ".o_omni_packing_station input.o_omni_barcode";
const WEIGHT = ".o_omni_packing_station input[name='weight']";
const PRINT_COMPONENT = "ws://127.0.0.1:5000";

const press = (key) => (/[A-Z]/.test(key) ? `press Shift+${key}` : `press ${key}`);

function type(selector, text, content) {
    return [
        {content: content || `Type ${text}`, trigger: `${selector}:focus`},
        ...[...text].map((key) => ({trigger: `${selector}:focus`, run: press(key)})),
        {trigger: `${selector}:focus`, run: "press Enter"},
    ];
}

const scan = (code, content) => type(BARCODE, code, content || `Scan ${code}`);

/**
 * Pinduoduo's print component as the browser meets it: a WebSocket on
 * ws://127.0.0.1:5000 that takes a JSON print command and answers success.
 * It records every task in window.omniPrintTasks; every other WebSocket
 * (Odoo's bus) stays real.
 */
function installFakePrintComponent() {
    const RealWebSocket = window.WebSocket;
    window.omniPrintTasks = [];
    class FakePrintComponent {
        constructor(url) {
            this.url = url;
            setTimeout(() => this.onopen && this.onopen(), 0);
        }
        send(data) {
            const task = JSON.parse(data);
            window.omniPrintTasks.push(task);
            const answer = {
                cmd: task.cmd,
                requestID: task.requestID,
                taskID: task.task.taskID,
                status: "success",
            };
            setTimeout(
                () => this.onmessage && this.onmessage({data: JSON.stringify(answer)}),
                0
            );
        }
        close() {}
    }
    window.WebSocket = function (url, protocols) {
        if (String(url).startsWith(PRINT_COMPONENT)) {
            return new FakePrintComponent(url);
        }
        return new RealWebSocket(url, protocols);
    };
}

registry.category("web_tour.tours").add("omni_waybill_pdd_tour", {
    steps: () => [
        {
            content: "Pinduoduo's print component runs on this packing PC",
            trigger: BARCODE,
            run: installFakePrintComponent,
        },
        ...scan(
            "OMNI/PDD/0001",
            "An encrypted Pinduoduo order: the shop's rule ships it through Pinduoduo waybills"
        ),
        {trigger: ".o_omni_picking_name:contains('OMNI/PDD/0001')"},
        ...[1, 2].flatMap((count) => [
            ...scan("6900000000011"),
            {trigger: `.o_omni_message:contains('Cup: ${count}/3 packed')`},
        ]),
        ...scan("6900000000011"),
        {trigger: ".o_omni_left_summary:contains('Fully packed')"},
        ...type(WEIGHT, "0.8", "Weighed: the number is asked from Pinduoduo at once"),
        {
            trigger:
                ".o_omni_message:contains('from Pinduoduo E-Waybill: label sent to the printer')",
        },
        {
            trigger:
                ".o_omni_packing_station input[name='tracking_no'][readonly]:value(/^7300/)",
        },
        {
            content:
                "The Pinduoduo print component received one print command with Pinduoduo's print data",
            trigger: ".o_omni_packing_station",
            run() {
                const tasks = window.omniPrintTasks;
                if (tasks.length !== 1 || tasks[0].cmd !== "print") {
                    throw new Error(
                        `expected one print command, got ${JSON.stringify(tasks)}`
                    );
                }
                const [document] = tasks[0].task.documents;
                const number = document.documentID;
                if (
                    !number.startsWith("7300") ||
                    document.contents[0].signature !== `SIG(${number})`
                ) {
                    throw new Error(`unexpected document ${JSON.stringify(document)}`);
                }
            },
        },
        ...scan("O-BTN.validate", "Shipped: no tracking number was typed"),
        {trigger: ".o_omni_message.alert-success:contains('OMNI/PDD/0001 shipped')"},
    ],
});

registry.category("web_tour.tours").add("omni_waybill_pdd_batch_tour", {
    steps: () => [
        {
            content: "Pinduoduo's print component runs on this PC",
            trigger: ".o_list_view",
            run: installFakePrintComponent,
        },
        {
            content: "Find the deliveries of the batch",
            trigger: ".o_searchview_input",
            run: "edit OMNI/PDD/B",
        },
        {trigger: ".o_searchview_autocomplete .o_menu_item"},
        {trigger: ".o_searchview_input", run: "press Enter"},
        {trigger: ".o_data_row:contains('OMNI/PDD/B3')"},
        {
            content: "Select them all",
            trigger: "thead .o_list_record_selector input",
            run: "click",
        },
        {trigger: ".o_cp_action_menus button:contains('Actions')", run: "click"},
        {
            content: "Print their e-waybills",
            trigger: ".o-dropdown--menu span:contains('Print E-Waybills')",
            run: "click",
        },
        {
            trigger:
                ".o_omni_waybill_print_batch tr[data-status='sent']:contains('sent to ws://127.0.0.1:5000')",
        },
        {
            content:
                "One print command, the three labels in picking order (the urgent B3 first)",
            trigger: ".o_omni_waybill_print_batch h3:contains('3 of 3')",
            run() {
                const tasks = window.omniPrintTasks;
                if (tasks.length !== 1 || tasks[0].task.documents.length !== 3) {
                    throw new Error(
                        `expected one task of 3 labels, got ${JSON.stringify(tasks)}`
                    );
                }
                window.omniBatchNumbers = tasks[0].task.documents.map(
                    (d) => d.documentID
                );
            },
        },
    ],
});
