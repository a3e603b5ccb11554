/** @odoo-module **/
import {registry} from "@web/core/registry";

// Screen pop: the telephone system announced a call of 王芳 for this agent;
// the agent's browser opens her card with its stored figures, and a phone
// order starts from it with her address prefilled.
registry.category("web_tour.tours").add("omni_customer_screen_pop_tour", {
    steps: () => [
        {
            content: "The card of the caller opens by itself",
            trigger: ".o_control_panel .o_breadcrumb:contains('王芳')",
        },
        {
            content: "It is the customer card",
            trigger:
                ".o_form_view .o_field_widget[name='omni_order_count']:contains('1')",
        },
        {
            content: "Its figures are there (one order, the honey bought)",
            trigger:
                ".o_form_view .o_field_widget[name='omni_last_products']:contains('Honey')",
        },
        {
            content: "Start a phone order",
            trigger: ".o_form_view button[name='action_omni_phone_order']",
            run: "click",
        },
        {
            content: "The address is prefilled",
            trigger: ".modal .o_field_widget[name='address'] input:value('中山路88号')",
        },
        {
            trigger:
                ".modal .o_field_widget[name='channel_id'] input:value('[CC01] Call centre')",
        },
    ],
});
