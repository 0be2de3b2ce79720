/**
 * Keeping keyboard focus inside a box (a dialog, the phone drawer): what can take focus in it, and Tab
 * and Shift+Tab cycling from the last element to the first and back. One mechanism for every overlay.
 */

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The elements of `box` that can take focus now (hidden ones left out), in document order. */
export function focusablesIn(box: HTMLElement): HTMLElement[] {
  return [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.offsetParent !== null || el === document.activeElement,
  );
}

/** On Tab, keeps focus inside `box`: past the last element it goes to the first, and back. */
export function cycleTab(event: KeyboardEvent, box: HTMLElement): void {
  if (event.key !== "Tab") return;
  const items = focusablesIn(box);
  if (items.length === 0) return void event.preventDefault();
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !box.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !box.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}
