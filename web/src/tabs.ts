// The page's tabs (explorer and console), as the ARIA tabs pattern has them: one tab stop,
// the arrow keys, Home and End move between the tabs and open the one reached.

import type { Tab } from './url';

export function setupTabs(buttons: HTMLButtonElement[], open: (tab: Tab) => void): (tab: Tab) => void {
  const mark = (tab: Tab) => {
    for (const b of buttons) {
      const on = b.id === `tab-${tab}`;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      document.getElementById(b.getAttribute('aria-controls')!)!.hidden = !on;
    }
  };
  buttons.forEach((b, i) => {
    const tab = b.id.replace('tab-', '') as Tab;
    b.addEventListener('click', () => open(tab));
    b.addEventListener('keydown', (ev) => {
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[ev.key];
      if (next === undefined) return;
      ev.preventDefault();
      const target = buttons[(next + buttons.length) % buttons.length];
      target.focus();
      target.click();
    });
  });
  return mark;
}
