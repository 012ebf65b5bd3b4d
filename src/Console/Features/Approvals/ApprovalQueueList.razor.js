// A live update re-renders the queue: a row the renderer moves (a request escalated to the top) or
// removes (a request decided elsewhere) loses the browser's focus, which falls back to the page body.
// The row under the cursor takes it back, but only while the queue held it: a click or a Tab
// elsewhere is the officer's choice and stays.
const rowsOf = element => element?.closest?.('[data-queue-rows]') ?? null;

let held = rowsOf(document.activeElement);

document.addEventListener('focusin', e => { held = rowsOf(e.target); });
document.addEventListener('pointerdown', e => {
    if (held !== null && !held.contains(e.target)) held = null;
}, true);

export function keepFocus(rows, row) {
    const active = document.activeElement;
    if (held === rows && row.isConnected && (active === null || active === document.body))
        row.focus({ preventScroll: true });
}
