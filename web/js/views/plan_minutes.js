// The person's reliance on peer support over time: minutes of peer contact
// in each of the last twelve months, as a bar chart the person can read,
// with the same numbers as a table for screen readers and print.
import { api } from '../api.js';
import { h } from '../dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function monthLabel(month) {
  const [y, m] = month.split('-');
  return `${MONTHS[Number(m) - 1]} ${y.slice(2)}`;
}

// In plain words: did the later months need less time than the earlier?
export function trendText(items) {
  const withTime = items.filter((m) => m.minutes > 0);
  if (withTime.length === 0) return 'No peer contacts recorded in this time.';
  const half = Math.floor(items.length / 2);
  const early = items.slice(0, half).reduce((a, m) => a + m.minutes, 0);
  const late = items.slice(half).reduce((a, m) => a + m.minutes, 0);
  if (late < early * 0.8) return 'Less time with your peer specialist lately than earlier on: you are relying on peer support less.';
  if (late > early * 1.2) return 'More time with your peer specialist lately than earlier on.';
  return 'About the same time with your peer specialist throughout.';
}

export function chart(items) {
  const width = 24 * items.length;
  const height = 120;
  const max = Math.max(60, ...items.map((m) => m.minutes));
  const total = items.reduce((a, m) => a + m.minutes, 0);
  const g = svg('svg', {
    viewBox: `0 0 ${width} ${height + 16}`, class: 'minutes-chart', role: 'img',
    'aria-label': `Peer contact minutes per month, ${items.length} months, ${total} minutes in all`,
  });
  items.forEach((m, i) => {
    const bar = Math.round((m.minutes / max) * height);
    const rect = svg('rect', { x: i * 24 + 4, y: height - bar, width: 16, height: Math.max(bar, 0), class: 'bar' });
    rect.appendChild(svg('title', {}, `${monthLabel(m.month)}: ${m.minutes} minutes, ${m.contacts} contacts`));
    g.appendChild(rect);
    g.appendChild(svg('text', { x: i * 24 + 12, y: height + 12, 'text-anchor': 'middle', class: 'month' },
      MONTHS[Number(m.month.slice(5)) - 1].slice(0, 1)));
  });
  return g;
}

function table(items) {
  return h('table', { class: 'minutes-table' },
    h('caption', { text: 'Minutes of peer contact each month' }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Month' }), h('th', { scope: 'col', text: 'Minutes' }),
      h('th', { scope: 'col', text: 'Contacts' }))),
    h('tbody', {}, items.map((m) => h('tr', {},
      h('th', { scope: 'row', text: monthLabel(m.month) }), h('td', { text: String(m.minutes) }),
      h('td', { text: String(m.contacts) })))));
}

// A section for a person's page or their community integration plan.
export async function minutesSection(personId) {
  const section = h('section', { class: 'card minutes', 'aria-labelledby': 'minutes-title' },
    h('h2', { id: 'minutes-title', text: 'Time with peer support' }));
  try {
    const r = await api.get(`/api/v1/people/${personId}/peer-minutes?months=12`);
    const items = r.json.items;
    section.append(
      h('p', { class: 'trend', text: trendText(items) }),
      chart(items),
      h('details', {}, h('summary', { text: 'The numbers' }), table(items)),
    );
  } catch (err) {
    if (err.handled) return section;
    section.append(h('p', { class: 'error', text: 'The minutes could not be loaded.' }));
  }
  return section;
}
