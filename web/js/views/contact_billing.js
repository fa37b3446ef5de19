// "Time and billing" for a contact: its minutes, units, billing code,
// modifiers, place of service and whether it is billable, with each reason
// it is not and the rule behind it. While a note is written the minutes
// follow the form at once and the units are a midpoint-rule estimate
// until the server's figures (worked out under the payer's rules when the
// draft is saved) replace them. A change the server makes is spoken.
import { h, clear } from '../dom.js';
import { minutesText, unitsText } from './contact_common.js';

export function billingPanel({ headingLevel = 2 } = {}) {
  const dd = () => h('dd', {});
  const row = (term, value) => h('div', { class: 'details__row' }, h('dt', { text: term }), value);
  const v = {
    minutes: dd(), units: h('dd', { id: 'note-units' }), code: dd(), modifiers: dd(), pos: dd(), billable: dd(),
  };
  const reasons = h('div', { class: 'note-billing__reasons' });
  const source = h('p', { class: 'note-billing__source muted' });
  const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  // Rows the server fills in: hidden until there is a saved draft.
  const serverRows = [row('Billing code', v.code), row('Modifiers', v.modifiers), row('Place of service', v.pos), row('Billing', v.billable)];
  const el = h('section', { class: 'card note-billing', id: 'note-billing', 'aria-labelledby': 'note-billing-title' },
    h(`h${headingLevel}`, { id: 'note-billing-title', text: 'Time and billing' }),
    h('dl', { class: 'details details--compact note-billing__facts' },
      row('Minutes', v.minutes),
      row('Units', v.units),
      serverRows),
    reasons,
    source,
    live);
  let said = null;

  // state: minutes (from the form), estimate (midpoint units for them, or
  // null), billing (the server's, or null before the first save), fresh
  // (the server's figures match the form), saved (a draft exists),
  // signed (the figures are final).
  function update({ minutes, estimate = null, billing = null, fresh = false, saved = false, signed = false }) {
    v.minutes.textContent = minutes === null || minutes === undefined ? 'Not known yet' : minutesText(minutes);
    clear(v.units);
    if (billing && fresh) {
      v.units.append(h('strong', { text: String(billing.units) }));
    } else if (estimate !== null) {
      v.units.append(h('strong', { text: String(estimate) }), ' ', h('span', { class: 'muted', text: saved ? '(estimate until saved)' : '(estimate)' }));
    } else {
      v.units.append(h('span', { class: 'muted', text: 'Not known yet' }));
    }
    const b = billing;
    for (const r of serverRows) r.hidden = !b;
    v.code.textContent = b ? (b.billing_code || 'Not billed') : '';
    v.modifiers.textContent = b ? ((b.modifiers || []).length ? b.modifiers.join(', ') : 'None') : '';
    v.pos.textContent = b ? (b.place_of_service || 'None') : '';
    clear(v.billable);
    if (b) {
      v.billable.append(h('span', { class: `badge ${b.billable ? 'badge--note-billable' : 'badge--note-unbilled'}`, text: b.billable ? 'Billable' : 'Not billable' }));
    }
    clear(reasons);
    if (b && !b.billable && (b.not_billable || []).length) {
      reasons.append(h('h3', { class: 'note-billing__why', text: 'Why it is not billable' }),
        h('ul', {}, b.not_billable.map((r) => h('li', {},
          h('span', { text: r.text }),
          r.rule ? [' ', h('span', { class: 'note-billing__rule' }, 'Rule: ', h('cite', { text: r.rule }))] : null))));
    }
    if (signed) {
      source.textContent = b && b.rules_version ? `Final, as signed, under the billing rules ${b.rules_version}.` : 'Final, as signed.';
    } else if (b && fresh) {
      source.textContent = `Worked out for the saved draft under the billing rules ${b.rules_version || 'in force'}. It changes as the note changes, until it is signed.`;
    } else if (b) {
      source.textContent = 'These figures are for the draft as last saved: they are worked out again when your change is saved.';
    } else {
      source.textContent = 'The units are estimated from the minutes under the midpoint rule (8 minutes earn the first 15-minute unit). The billing code, modifiers, place of service and whether it can be billed are worked out under the payer\u2019s rules once the draft is saved.';
    }
    if (b && fresh && !signed) {
      const text = `${minutesText(minutes)}: ${unitsText(b.units)}, ${b.billable ? 'billable' : 'not billable'}.`;
      if (said !== null && text !== said) live.textContent = text;
      said = text;
    }
  }

  return { el, update };
}
