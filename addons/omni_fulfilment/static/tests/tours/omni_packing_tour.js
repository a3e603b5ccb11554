/** @odoo-module **/
import {registry} from "@web/core/registry";

const BARCODE = ".o_omni_packing_station input.o_omni_barcode";

// a scanner presses Shift for capitals, as a keyboard does
const press = (key) => (/[A-Z]/.test(key) ? `press Shift+${key}` : `press ${key}`);

/**
 * A scan as a scanner sends it: each character typed as a key press into
 * whatever has the focus, then Enter. The first step waits until the
 * barcode field has the focus, so a scan never needs a click.
 */
function scan(code, content) {
    return [
        {content: content || `Scan ${code}`, trigger: `${BARCODE}:focus`},
        ...[...code].map((key) => ({trigger: `${BARCODE}:focus`, run: press(key)})),
        {trigger: `${BARCODE}:focus`, run: "press Enter"},
    ];
}

function type(selector, text) {
    return [
        {trigger: `${selector}:focus`},
        ...[...text].map((key) => ({trigger: `${selector}:focus`, run: press(key)})),
        {trigger: `${selector}:focus`, run: "press Enter"},
    ];
}

registry.category("web_tour.tours").add("omni_packing_tour", {
    steps: () => [
        ...scan("TOURPK-NOPE", "A code before any delivery is refused"),
        {trigger: ".o_omni_message.alert-danger:contains('scan the delivery first')"},
        ...scan("OMNI/TOUR/0001", "Scanning the delivery's barcode opens it"),
        {trigger: ".o_omni_picking_name:contains('OMNI/TOUR/0001')"},
        {trigger: ".o_omni_left_summary:contains('3 lines left')"},
        ...scan("6900000000099", "A product of another order is refused"),
        {trigger: ".o_omni_message.alert-danger:contains('is not in delivery')"},
        ...scan("6900000000011"),
        {trigger: ".o_omni_message:contains('Cup: 1/2 packed')"},
        ...scan("6900000000011"),
        {trigger: ".o_omni_message:contains('Cup: 2/2 packed')"},
        ...scan(
            "6900000000035",
            "Less than a unit of tea is left: the quantity is asked"
        ),
        {trigger: ".o_omni_quantity input:focus:value(0.5)"},
        {trigger: ".o_omni_quantity input:focus", run: "press Enter"},
        {trigger: ".o_omni_message:contains('Tea 1 kg: 0.5/0.5 packed')"},
        ...scan("6900000000028"),
        {
            content: "Fully packed: the cursor goes to the weight",
            trigger: ".o_omni_left_summary:contains('Fully packed')",
        },
        ...type(".o_omni_packing_station input[name='weight']", "1.2"),
        {trigger: ".o_omni_message:contains('Scan the tracking label')"},
        ...scan("SF1234567890", "The tracking label is scanned"),
        {trigger: ".o_omni_message:contains('Tracking number SF1234567890 recorded')"},
        {
            trigger:
                ".o_omni_packing_station input[name='tracking_no']:value(SF1234567890)",
        },
        {
            trigger:
                ".o_omni_packing_station button[name='validate'].btn-primary:enabled",
        },
        ...scan("O-BTN.validate", "Odoo's validate command barcode ships it"),
        {trigger: ".o_omni_left_summary:contains('Shipped')"},
        {trigger: ".o_omni_message.alert-success:contains('OMNI/TOUR/0001 shipped')"},
    ],
});
