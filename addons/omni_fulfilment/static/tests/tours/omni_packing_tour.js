/** @odoo-module **/
import {registry} from "@web/core/registry";

// Packing screen: open it from the delivery, a wrong product is refused,
// each unit scanned shows the count, validation once complete.
registry.category("web_tour.tours").add("omni_packing_tour", {
    steps: () => [
        {
            content: "Open the packing screen",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_omni_open_packing']",
            run: "click",
        },
        {
            content: "Scan a product of another order",
            trigger: ".modal div[name='barcode'] input",
            run: "edit 6900000000099",
        },
        {
            trigger: ".modal button[name='action_scan']",
            run: "click",
        },
        {
            content: "It is refused",
            trigger: ".modal .modal-body:contains('is not in delivery')",
        },
        {
            trigger: ".modal:has(.modal-body:contains('is not in delivery')) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Scan the honey",
            trigger: ".modal div[name='barcode'] input",
            run: "edit 6900000000028",
        },
        {
            trigger: ".modal button[name='action_scan']",
            run: "click",
        },
        {
            trigger: ".modal div[name='last_message']:contains('1/2 packed')",
        },
        {
            trigger: ".modal div[name='barcode'] input",
            run: "edit 6900000000028",
        },
        {
            trigger: ".modal button[name='action_scan']",
            run: "click",
        },
        {
            content: "Complete: validate",
            trigger: ".modal div[name='last_message']:contains('2/2 packed')",
        },
        {
            trigger: ".modal button[name='action_validate']",
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
