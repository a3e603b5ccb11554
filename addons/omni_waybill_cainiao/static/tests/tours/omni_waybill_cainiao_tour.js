/** @odoo-module **/
import {registry} from "@web/core/registry";

const BARCODE = ".o_omni_packing_station input.o_omni_barcode";
const WEIGHT = ".o_omni_packing_station input[name='weight']";
const PRINT_COMPONENT = "ws://127.0.0.1:13528";

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
 * Cainiao's print component (CNPrint) as the browser meets it: a WebSocket
 * on ws://127.0.0.1:13528 that takes a JSON print command and answers
 * success. It records every task in window.omniPrintTasks; every other
 * WebSocket (Odoo's bus) stays real.
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

registry.category("web_tour.tours").add("omni_waybill_cainiao_tour", {
    steps: () => [
        {
            content: "The print component runs on this packing PC",
            trigger: BARCODE,
            run: installFakePrintComponent,
        },
        ...scan(
            "OMNI/WB/0001",
            "A Tmall delivery: the channel's rule ships it with ZTO through Cainiao"
        ),
        {trigger: ".o_omni_picking_name:contains('OMNI/WB/0001')"},
        ...[1, 2, 3].flatMap((count) => [
            ...scan("6900000000011"),
            {trigger: `.o_omni_message:contains('Cup: ${count}/4 packed')`},
        ]),
        ...scan("6900000000011"),
        {trigger: ".o_omni_left_summary:contains('Fully packed')"},
        ...type(WEIGHT, "1.2", "Weighed: the number is asked from Cainiao at once"),
        {
            trigger:
                ".o_omni_message:contains('from Cainiao E-Waybill: label sent to the printer')",
        },
        {
            trigger:
                ".o_omni_packing_station input[name='tracking_no'][readonly]:value(/^ZT78/)",
        },
        {trigger: ".o_omni_waybill_service:contains('never typed')"},
        {
            content: "CNPrint received one print command with Cainiao's print data",
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
                    !number.startsWith("ZT78") ||
                    document.contents[0].encryptedData !== `ENC(${number})`
                ) {
                    throw new Error(`unexpected document ${JSON.stringify(document)}`);
                }
            },
        },
        ...scan("O-BTN.validate", "Shipped: no tracking number was typed"),
        {trigger: ".o_omni_message.alert-success:contains('OMNI/WB/0001 shipped')"},
        ...scan(
            "OMNI/WB/0002",
            "A delivery of a manual courier keeps the scanned label"
        ),
        {trigger: ".o_omni_picking_name:contains('OMNI/WB/0002')"},
        ...[1, 2, 3].flatMap((count) => [
            ...scan("6900000000011"),
            {trigger: `.o_omni_message:contains('Cup: ${count}/4 packed')`},
        ]),
        ...scan("6900000000011"),
        {trigger: ".o_omni_left_summary:contains('Fully packed')"},
        ...type(WEIGHT, "0.8"),
        {trigger: ".o_omni_message:contains('Scan the tracking label')"},
        ...scan("ZT1234567890"),
        {trigger: ".o_omni_message:contains('Tracking number ZT1234567890 recorded')"},
        ...scan("O-BTN.validate"),
        {trigger: ".o_omni_message.alert-success:contains('OMNI/WB/0002 shipped')"},
        {
            content: "Nothing was sent to the print component for the manual courier",
            trigger: ".o_omni_packing_station",
            run() {
                if (window.omniPrintTasks.length !== 1) {
                    throw new Error(
                        `expected still one print command, got ${window.omniPrintTasks.length}`
                    );
                }
            },
        },
    ],
});
