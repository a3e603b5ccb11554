/** @odoo-module **/
import {registry} from "@web/core/registry";

const STATION = ".o_omni_packing_station";
const BARCODE = `${STATION} input.o_omni_barcode`;
const WEIGHT = `${STATION} input[name='weight']`;

// a scanner presses Shift for capitals, as a keyboard does
const press = (key) => (/[A-Z]/.test(key) ? `press Shift+${key}` : `press ${key}`);

// what a scanner sends into the field that has the cursor: key presses, then Enter
function typeInto(selector, text, content) {
    return [
        {content: content || `${text} into ${selector}`, trigger: `${selector}:focus`},
        ...[...text].map((key) => ({trigger: `${selector}:focus`, run: press(key)})),
        {trigger: `${selector}:focus`, run: "press Enter"},
    ];
}

// A new user packs the demo's waiting honey order (issue 23): from the
// delivery to the packing station, a label scanned into the weight field,
// a weight out of range refused, shipped; never leaving the browser.
registry.category("web_tour.tours").add("omni_demo_packing_tour", {
    steps: () => [
        {
            content: "The delivery waits to be packed by scanning",
            trigger: ".o_form_view button[name='action_omni_open_packing']",
            run: "click",
        },
        {trigger: `${STATION} .o_omni_picking_name`},
        ...typeInto(
            BARCODE,
            "6901234500035",
            "The honey jar's barcode, as the station lists it"
        ),
        {
            content: "Fully packed",
            trigger: `${STATION} .o_omni_left_summary.text-success`,
        },
        ...typeInto(
            WEIGHT,
            "773012345678",
            "A ZTO label scanned while the cursor is in the weight field"
        ),
        {trigger: `${STATION} input[name='tracking_no']:value(773012345678)`},
        {trigger: `${STATION} input[name='courier_code']:value(ZTO)`},
        {trigger: `${STATION} .o_omni_message:not(.alert-danger)`},
        ...typeInto(
            WEIGHT,
            "250",
            "The cursor stayed for the weight: 250 kg is out of range"
        ),
        {trigger: `${STATION} .o_omni_message.alert-danger`},
        {trigger: `${WEIGHT}.is-invalid`},
        ...typeInto(WEIGHT, "1.2"),
        {trigger: `${WEIGHT}:not(.is-invalid):value(1.2)`},
        ...typeInto(
            BARCODE,
            "O-BTN.validate",
            "Odoo's validate command barcode ships it"
        ),
        {trigger: `${STATION} .o_omni_message.alert-success`},
    ],
});
