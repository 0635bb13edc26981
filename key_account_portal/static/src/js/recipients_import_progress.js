/** @odoo-module **/
// Copyright 2026 Key Account Management Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// The progress page of a background recipient import polls its status and
// reloads itself once the import has finished (imported or refused).

const POLL_MS = 2000;

function poll(element) {
    const url = element.dataset.statusUrl;
    const bar = element.querySelector(".progress-bar");
    const tick = async () => {
        let status;
        try {
            const response = await fetch(url, {credentials: "same-origin"});
            status = await response.json();
        } catch {
            setTimeout(tick, POLL_MS * 3);
            return;
        }
        if (bar && status.progress !== undefined) {
            bar.style.width = `${status.progress}%`;
        }
        if (status.state && status.state !== element.dataset.state) {
            window.location.reload();
            return;
        }
        if (status.state === "queued" || status.state === "running") {
            setTimeout(tick, POLL_MS);
        }
    };
    setTimeout(tick, POLL_MS);
}

function start() {
    for (const element of document.querySelectorAll(
        ".o_key_account_import_progress[data-state='queued'], " +
            ".o_key_account_import_progress[data-state='running']"
    )) {
        poll(element);
    }
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
} else {
    start();
}
