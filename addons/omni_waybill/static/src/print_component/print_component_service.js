/** @odoo-module **/
import {registry} from "@web/core/registry";

/**
 * The waybill services' local print components (Cainiao's CNPrint,
 * Pinduoduo's and Douyin's print clients) listen on a local WebSocket and
 * take a JSON print task. ``send({url, payload})`` opens the socket, sends
 * the task and resolves with the component's answer to that command (other
 * notifications are ignored); it rejects when the component is not running,
 * refuses the task or does not answer in time. A task ``{pdf}`` (base64, a
 * service that gives PDF labels: SF) opens the PDF for printing.
 */
export const printComponentService = {
    start() {
        return {
            send(task, {timeout = 8000} = {}) {
                if (task.pdf) {
                    // a service without print component (SF): its PDF labels,
                    // opened for the browser's printing
                    const bytes = Uint8Array.from(atob(task.pdf), (c) =>
                        c.charCodeAt(0)
                    );
                    const url = URL.createObjectURL(
                        new Blob([bytes], {type: "application/pdf"})
                    );
                    window.open(url, "_blank");
                    return Promise.resolve({status: "success", pdf: true});
                }
                return new Promise((resolve, reject) => {
                    let socket;
                    try {
                        socket = new WebSocket(task.url);
                    } catch (error) {
                        reject(error);
                        return;
                    }
                    const finish = (callback, value) => {
                        clearTimeout(timer);
                        socket.onmessage = socket.onerror = socket.onclose = null;
                        socket.close();
                        callback(value);
                    };
                    const timer = setTimeout(
                        () => finish(reject, new Error("no answer")),
                        timeout
                    );
                    socket.onopen = () => socket.send(JSON.stringify(task.payload));
                    socket.onmessage = (event) => {
                        let answer = {};
                        try {
                            answer = JSON.parse(event.data);
                        } catch {
                            return;
                        }
                        if (
                            answer.cmd &&
                            task.payload.cmd &&
                            answer.cmd !== task.payload.cmd
                        ) {
                            return;
                        }
                        if (answer.status && answer.status !== "success") {
                            finish(reject, new Error(answer.msg || answer.status));
                        } else {
                            finish(resolve, answer);
                        }
                    };
                    socket.onerror = () => finish(reject, new Error("not running"));
                });
            },
        };
    },
};

registry
    .category("services")
    .add("omni_waybill_print_component", printComponentService);
