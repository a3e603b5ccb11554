/** @odoo-module **/
import {registry} from "@web/core/registry";

const STATION = ".o_omni_packing_station";
const BARCODE = `${STATION} input.o_omni_barcode`;
const QUANTITY = `${STATION} .o_omni_quantity input`;
const WEIGHT = `${STATION} input[name='weight']`;

// a scanner presses Shift for capitals, as a keyboard does
const press = (key) => (/[A-Z]/.test(key) ? `press Shift+${key}` : `press ${key}`);

/**
 * What a scanner (or a packer) sends into the field that has the cursor,
 * whichever it is: each character as a key press, then Enter. No click:
 * a scanner cannot choose its field.
 */
function typeInto(selector, text, content) {
    return [
        {content: content || `${text} into ${selector}`, trigger: `${selector}:focus`},
        ...[...text].map((key) => ({trigger: `${selector}:focus`, run: press(key)})),
        {trigger: `${selector}:focus`, run: "press Enter"},
    ];
}

registry.category("web_tour.tours").add("omni_packing_wrong_field_tour", {
    steps: () => [
        ...typeInto(
            BARCODE,
            "OMNI/TOUR/0002",
            "Scanning the delivery's barcode opens it"
        ),
        {trigger: ".o_omni_picking_name:contains('OMNI/TOUR/0002')"},
        ...typeInto(
            BARCODE,
            "6900000000035",
            "Less than a unit of tea is left: the quantity is asked"
        ),
        {trigger: `${QUANTITY}:focus:value(0.5)`},
        ...typeInto(
            QUANTITY,
            "6900000000028",
            "The honey's barcode lands in the quantity prompt"
        ),
        {
            content: "... and is taken as the honey's scan: the scan is not lost",
            trigger:
                ".o_omni_message:not(.alert-danger):contains('Honey 500 g: 1/1 packed')",
        },
        {trigger: `${STATION}:not(:has(.o_omni_quantity))`},
        ...typeInto(
            BARCODE,
            "6900000000035",
            "The tea again: its quantity is asked again"
        ),
        {trigger: `${QUANTITY}:focus:value(0.5)`},
        {trigger: `${QUANTITY}:focus`, run: "press Enter"},
        {
            content: "Fully packed: the cursor goes to the weight",
            trigger: ".o_omni_left_summary:contains('Fully packed')",
        },
        ...typeInto(
            WEIGHT,
            "773012345678",
            "The tracking label is scanned into the weight field"
        ),
        {
            content:
                "... and is the tracking number, its prefix gives the courier: no weight of 773,012,345,678 kg",
            trigger:
                ".o_omni_message:not(.alert-danger):contains('Tracking number 773012345678 recorded, courier ZTO')",
        },
        {trigger: `${STATION} input[name='tracking_no']:value(773012345678)`},
        {trigger: `${STATION} input[name='courier_code']:value(ZTO)`},
        ...typeInto(
            WEIGHT,
            "250",
            "The cursor stayed in the weight field: a weight out of range"
        ),
        {
            content: "... is refused in red",
            trigger: ".o_omni_message.alert-danger:contains('no plausible weight')",
        },
        {trigger: `${WEIGHT}.is-invalid:focus`},
        ...typeInto(WEIGHT, "1.5", "The right weight"),
        {trigger: ".o_omni_message:contains('Weight recorded')"},
        {trigger: `${WEIGHT}:not(.is-invalid):value(1.5)`},
        ...typeInto(
            BARCODE,
            "O-BTN.validate",
            "Odoo's validate command barcode ships it"
        ),
        {trigger: ".o_omni_left_summary:contains('Shipped')"},
        {trigger: ".o_omni_message.alert-success:contains('OMNI/TOUR/0002 shipped')"},
    ],
});

registry.category("web_tour.tours").add("omni_packing_ask_courier_tour", {
    steps: () => [
        ...typeInto(BARCODE, "OMNI/TOUR/0003", "A packed delivery without a courier"),
        {trigger: ".o_omni_left_summary:contains('Fully packed')"},
        ...typeInto(
            WEIGHT,
            "YT1234567890",
            "Packed, not weighed: a label no courier's pattern knows, into the weight field"
        ),
        {
            content: "The number is recorded and the station asks which courier",
            trigger:
                ".o_omni_message.alert-warning:contains('which courier takes OMNI/TOUR/0003')",
        },
        {trigger: `${STATION} input[name='tracking_no']:value(YT1234567890)`},
        {
            trigger: `${STATION} .o_omni_ask_courier button[name='courier_ZTO']`,
            run: "click",
        },
        {trigger: `${STATION} input[name='courier_code']:value(ZTO)`},
        {trigger: `${STATION}:not(:has(.o_omni_ask_courier))`},
        ...typeInto(
            WEIGHT,
            "O-BTN.validate",
            "The validate command, wherever the cursor is, ships it"
        ),
        {trigger: ".o_omni_message.alert-success:contains('OMNI/TOUR/0003 shipped')"},
    ],
});
