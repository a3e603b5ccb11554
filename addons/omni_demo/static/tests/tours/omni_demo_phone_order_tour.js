/** @odoo-module **/
import {registry} from "@web/core/registry";

// The demo's documented flow, in the browser: the call of 王芳 > her card
// (deposit 1,000) > a phone order paid by her deposit.
registry.category("web_tour.tours").add("omni_demo_phone_order_tour", {
    steps: () => [
        {
            content: "Open the call",
            trigger: ".o_list_view .o_data_row:contains('王芳') td[name='name']",
            run: "click",
        },
        {
            content: "Open the caller's card",
            trigger:
                ".o_form_view .o_field_widget[name='partner_ids'] .o_data_row:contains('王芳') button[name='action_omni_open_card']",
            run: "click",
        },
        {
            content: "Her deposit is there",
            trigger:
                ".o_form_view .o_field_widget[name='omni_deposit_available']:contains('1,000.00')",
        },
        {
            content: "Start a phone order",
            trigger: ".o_form_view button[name='action_omni_phone_order']",
            run: "click",
        },
        {
            content: "The province is prefilled",
            trigger: ".modal .o_field_widget[name='province'] input:value('江苏省')",
        },
        {
            content: "Paid by deposit",
            trigger: ".modal .o_field_widget[name='payment_method'] select",
            run: 'select "deposit"',
        },
        {
            content: "Add a product",
            trigger: ".modal .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='mapping_id'] input",
            run: "edit CALL-HONEY",
        },
        {
            content: "The relation table's row, by its SKU",
            trigger: ".ui-menu-item a:contains('CALL-HONEY: [HONEY-500G]')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='unit_price'] input:value('30.00')",
        },
        {
            content: "Place the order",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The order of the call centre, confirmed",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Confirmed')",
        },
    ],
});
