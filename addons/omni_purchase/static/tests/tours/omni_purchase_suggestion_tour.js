/** @odoo-module **/
import {registry} from "@web/core/registry";

// Suggestion screen: refresh, the line of a product sold on every channel
// shows its figures, a buyer selects it and creates a purchase request.
registry.category("web_tour.tours").add("omni_purchase_suggestion_tour", {
    steps: () => [
        {
            content: "Refresh the suggestions",
            trigger: "button[name='action_refresh']",
            run: "click",
        },
        {
            content: "Refresh says what it recomputed",
            trigger: ".o_notification:contains('Lines recomputed')",
        },
        {
            content: "The product to buy is listed with its vendor and quantity",
            trigger:
                ".o_data_row:contains('TOUR-TEA'):contains('Tour Vendor') .o_data_cell[name='suggested_qty']:contains('60')",
        },
        {
            content: "The product without vendor says why it cannot be ordered",
            trigger:
                ".o_data_row:contains('TOUR-NOVENDOR') .o_data_cell[name='warning']:contains('No vendor')",
        },
        {
            content: "Select the tea line",
            trigger: ".o_data_row:contains('TOUR-TEA') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Create a purchase request",
            trigger: "button[name='action_create_requests']",
            run: "click",
        },
        {
            content: "The purchase request opens with the tea",
            trigger:
                ".o_form_view .o_field_widget[name='line_ids']:contains('TOUR-TEA')",
        },
    ],
});
