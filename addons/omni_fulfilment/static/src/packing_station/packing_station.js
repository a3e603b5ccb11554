/** @odoo-module **/
import {Component, onWillStart, useEffect, useRef, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {Layout} from "@web/search/layout";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";
import {_t} from "@web/core/l10n/translation";

/**
 * Packing station: a scanner types a code and sends Enter into whatever
 * field has the cursor. A delivery's barcode opens it, product barcodes pack
 * it (a quantity is asked when less than a unit is left), the weight is
 * typed, the tracking label is scanned, O-BTN.validate (or the button) ships
 * it. A scanner cannot choose its field: the weight field and the quantity
 * prompt send what was typed to the server too, which takes it as a weight
 * or a quantity only when it is a plausible number and as that scan when it
 * is a code the station knows. After every step the cursor goes back to
 * where the next scan goes.
 */
export class OmniPackingStation extends Component {
    static template = "omni_fulfilment.PackingStation";
    static components = {Layout};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.barcodeRef = useRef("barcode");
        this.quantityRef = useRef("quantity");
        this.weightRef = useRef("weight");
        this.state = useState({
            picking: null,
            message: _t("Scan a delivery to start packing."),
            level: "info",
            askQuantity: false,
            busy: false,
            focusWeight: false,
            invalidField: false,
        });
        onWillStart(async () => {
            const pickingId =
                this.props.action.params?.picking_id ||
                this.props.action.context?.active_id;
            if (pickingId) {
                const picking = await this.call("omni_packing_load", [[pickingId]]);
                if (picking) {
                    this.state.picking = picking;
                    this.state.message = _t("Scan the items of %s.", picking.name);
                }
            }
        });
        // the field the next scan goes to appears or changes after rendering
        useEffect(
            () => this.focus(),
            () => [
                this.state.askQuantity,
                this.state.focusWeight,
                this.state.picking && this.state.picking.id,
            ]
        );
    }

    focus() {
        let ref = this.barcodeRef;
        if (this.state.askQuantity) {
            ref = this.quantityRef;
        } else if (this.state.focusWeight) {
            ref = this.weightRef;
        }
        if (ref.el) {
            ref.el.focus();
            ref.el.select();
        }
    }

    async call(method, args, kwargs = {}) {
        this.state.busy = true;
        try {
            return await this.orm.call("stock.picking", method, args, kwargs);
        } catch (error) {
            if (error.data && error.data.message) {
                this.state.message = error.data.message;
                this.state.level = "danger";
                return null;
            }
            throw error;
        } finally {
            this.state.busy = false;
        }
    }

    show(result) {
        if (!result) {
            return;
        }
        const before = this.state.picking;
        this.state.picking = result.picking;
        this.state.message = result.message;
        this.state.level =
            result.level ||
            (result.picking && result.picking.done ? "success" : "info");
        this.state.askQuantity = result.ask_quantity || false;
        this.state.invalidField = false;
        // a parcel just completed and not weighed yet: the cursor goes to the weight
        this.state.focusWeight = Boolean(
            result.picking &&
                result.picking.complete &&
                !result.picking.done &&
                !result.picking.weight &&
                !(before && before.id === result.picking.id && before.complete)
        );
    }

    /**
     * Send what was typed into ``field`` (barcode, weight, quantity); the
     * server says what it was. Refused: the field is marked in red.
     */
    async scan(code, field = "barcode") {
        const kwargs = {
            picking_id:
                this.state.picking && !this.state.picking.done
                    ? this.state.picking.id
                    : false,
        };
        if (field !== "barcode") {
            kwargs.field = field;
        }
        if (field === "quantity") {
            kwargs.ask_barcode = this.state.askQuantity.barcode;
        }
        const result = await this.call("omni_packing_scan", [code], kwargs);
        if (!result) {
            this.state.invalidField = field;
            return;
        }
        this.show(result);
        // a scan that landed in the weight field of a parcel not weighed yet: the cursor stays for the weight
        if (
            field === "weight" &&
            result.entered !== "weight" &&
            this.state.picking &&
            !this.state.picking.done
        ) {
            this.state.focusWeight = !this.state.picking.weight;
        }
    }

    async onBarcodeKeydown(ev) {
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        const code = ev.target.value.trim();
        ev.target.value = "";
        if (code) {
            await this.scan(code);
        }
        this.focus();
    }

    async onQuantityKeydown(ev) {
        if (ev.key === "Escape") {
            ev.preventDefault();
            this.state.askQuantity = false;
            this.focus();
            return;
        }
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        const value = ev.target.value.trim();
        if (!value) {
            this.state.message = _t("Type the quantity packed, e.g. 0.5.");
            this.state.level = "danger";
            this.state.invalidField = "quantity";
            this.focus();
            return;
        }
        await this.scan(value, "quantity");
        this.focus();
    }

    async onWeightKeydown(ev) {
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        const value = ev.target.value.trim();
        // cleared: what the server recorded comes back as the field's value, a refused entry does not stay
        ev.target.value = "";
        await this.saveWeight(value);
    }

    async saveWeight(value) {
        value = String(value).trim();
        if (!value || Number(value.replace(",", ".")) === this.state.picking.weight) {
            this.focus();
            return;
        }
        await this.scan(value, "weight");
        this.focus();
    }

    async onParcelChange(field, ev) {
        await this.setParcel({[field]: ev.target.value});
    }

    async onChooseCourier(code) {
        if (await this.setParcel({courier_code: code})) {
            this.state.message = _t("Courier %s chosen.", code);
            this.state.level = "info";
        }
    }

    async setParcel(values) {
        const picking = await this.call(
            "omni_packing_set_parcel",
            [[this.state.picking.id]],
            values
        );
        if (picking) {
            this.state.picking = picking;
            this.state.invalidField = false;
        }
        this.focus();
        return picking;
    }

    async onValidate() {
        this.show(
            await this.call("action_omni_pack_validate", [[this.state.picking.id]])
        );
        this.focus();
    }

    async onPrintWaybill() {
        await this.action.doAction("omni_fulfilment.action_report_omni_waybill", {
            additionalContext: {
                active_ids: [this.state.picking.id],
                active_model: "stock.picking",
            },
        });
        this.focus();
    }

    openPicking() {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "stock.picking",
            res_id: this.state.picking.id,
            views: [[false, "form"]],
        });
    }

    formatQty(value) {
        return String(Math.round(value * 10000) / 10000);
    }

    get leftSummary() {
        // lines, not a sum of quantities: a delivery mixes units and kilograms
        return _t("%s lines left", this.state.picking.lines_left);
    }

    get askCourier() {
        const picking = this.state.picking;
        return Boolean(
            picking &&
                !picking.done &&
                picking.courier_missing &&
                (picking.tracking_no || picking.complete)
        );
    }

    get readyToShip() {
        const picking = this.state.picking;
        return Boolean(picking && picking.complete && !picking.done);
    }
}

registry.category("actions").add("omni_packing_station", OmniPackingStation);
