// Small helpers the plan views share: the words for a plan's status, the
// structure of a kind (from /api/v1/plan-kinds), reading a dotted path out
// of a plan's content, and the box that shows a rule the server enforced.
import { api } from '../api.js';
import { h, clear, formatDate } from '../dom.js';

// A plan's standing, in plain words.
export const PLAN_STATUS = {
  draft: 'Draft, not signed yet',
  signing: 'Being signed',
  signed: 'Signed',
  revising: 'Signed; a new version is being written',
  executed: 'Executed: ready to use if needed',
  invoked: 'Invoked: in use now',
  revoked: 'Revoked',
  expired: 'Expired',
};

// A version's standing.
export const VERSION_STATUS = {
  draft: 'Draft',
  signing: 'Being signed',
  signed: 'Signed',
  superseded: 'Replaced by a newer version',
};

export const EVENT_LABELS = {
  invoked: 'Invoked',
  'capacity-restored': 'Able to decide again (capacity restored)',
  revoked: 'Revoked',
};

export function planBadge(status) {
  return h('span', { class: `badge badge--plan badge--plan-${status || 'unknown'}`, text: PLAN_STATUS[status] || status || 'Unknown' });
}

// The kind's structure ({kind, label, fields, card?}) or null.
export function kindOf(kinds, kind) {
  return (kinds.kinds || []).find((k) => k.kind === kind) || null;
}

export function kindLabel(kinds, kind) {
  const k = kindOf(kinds, kind);
  return k ? k.label : kind;
}

// The plan's own title, or null when it has none or it only repeats the
// kind's label.
export function ownTitle(kinds, plan) {
  return plan.title && plan.title !== kindLabel(kinds, plan.kind) ? plan.title : null;
}

export function isDirective(plan) {
  return plan.kind === 'advance-directive';
}

// The label of a code from one of the structure's code lists.
export function codeLabel(kinds, list, code) {
  if (code === undefined || code === null || code === '') return '';
  const l = kinds.lists && kinds.lists[list];
  const hit = l && l.items.find((x) => x.code === code);
  return hit ? hit.label : String(code);
}

// content.a.b.c, or undefined.
export function valueAt(content, dotted) {
  let v = content;
  for (const k of String(dotted).split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[k];
  }
  return v;
}

// The FIELD a dotted path names in a kind's fields, or null.
export function fieldAt(fields, dotted) {
  let list = fields;
  let f = null;
  for (const k of String(dotted).split('.')) {
    f = (list || []).find((x) => x.key === k) || null;
    if (!f) return null;
    list = f.fields || (f.item && f.item.fields) || [];
  }
  return f;
}

// Whether a value counts as written (empty text, lists and objects do not).
export function isEmpty(v) {
  if (v === undefined || v === null || v === '' || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v).every(isEmpty);
  return false;
}

// The heading of an item of a list of objects: its title field's value.
export function itemTitle(item, value) {
  const key = item && item.title;
  const t = key && value ? value[key] : null;
  return typeof t === 'string' && t.trim() ? t.trim() : null;
}

export function phoneLink(phone) {
  if (!phone) return null;
  const tel = String(phone).replace(/[^0-9+]/g, '');
  return tel ? h('a', { class: 'phone-link', href: `tel:${tel}`, text: phone }) : h('span', { text: phone });
}

export async function loadPlan(id) {
  const r = await api.get(`/api/v1/plans/${id}`);
  return r.json;
}

// The version whose words are in force (or the newest when none is yet),
// with its content. Returns { version, inForce }.
export async function versionToShow(plan) {
  if (plan.in_force && plan.in_force !== plan.current.n) {
    const r = await api.get(`/api/v1/plans/${plan.id}/versions/${plan.in_force}`);
    return { version: r.json, inForce: true };
  }
  return { version: plan.current, inForce: plan.in_force === plan.current.n };
}

// A 422 from the server: a rule in force refused the change. The rule's
// citation stays visible so the person can see why. labelOf(field) names
// the field an error is about, or returns null.
export function ruleBox(err, title = 'This is not allowed by a rule in force', labelOf = () => null) {
  const p = err.problem || {};
  const lines = (err.errors || []).map((e) => {
    const label = labelOf(e.field);
    return label ? `${label} ${e.message}` : sentenceCase(e.message);
  });
  return h('div', { class: 'error-summary rule-problem', role: 'alert', tabindex: '-1' },
    h('h2', { class: 'error-summary__title', text: title }),
    lines.length ? h('ul', {}, lines.map((m) => h('li', { text: m }))) : h('p', { text: sentenceCase(p.detail || p.title || '') }),
    p.rule ? h('p', { class: 'rule-problem__rule' }, h('strong', { text: 'Rule: ' }), h('cite', { text: p.rule })) : null);
}

export function sentenceCase(s) {
  const t = String(s || '');
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}

// "signed 23 November 2026 by Jordan Lee"-style line for a signature.
export function signatureLine(sig, label) {
  const who = sig.typed_name || 'Unnamed';
  const parts = [`${label || sig.role}: ${who}`];
  if (sig.credential) parts.push(sig.credential);
  parts.push(`signed ${formatDate(sig.signed_on)}`);
  return parts.join(', ');
}

// The label for a signer's role: from the rules for ordinary plans, from
// needs or fixed words for a directive's witnesses and agents.
export function roleLabel(kinds, plan, role) {
  const rules = kinds.rules && kinds.rules[plan.kind];
  const s = rules && (rules.signers || []).find((x) => x.role === role);
  if (s) return s.label;
  const n = (plan.needs || []).find((x) => x.role === role);
  if (n) return n.label;
  return {
    person: isDirective(plan) ? 'The person (principal)' : 'The person',
    witness: 'Witness',
    attorney_in_fact: 'Attorney-in-fact',
    alternate_attorney_in_fact: 'Alternate attorney-in-fact',
  }[role] || role;
}

// Breadcrumb to the roster and the person's page.
export function breadcrumb(person, extra) {
  return h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
    h('a', { href: '#/people', text: 'Team roster' }),
    h('span', { 'aria-hidden': 'true', text: ' / ' }),
    h('a', { href: `#/people/${person.id}`, text: person.preferred_name }),
    extra ? [h('span', { 'aria-hidden': 'true', text: ' / ' }), extra] : null);
}

// A plan that is not there, or not on the user's rosters (they look the
// same on purpose).
export function renderNotFound(ctx) {
  clear(ctx.main);
  ctx.main.append(h('div', { class: 'page page--narrow' },
    h('h1', { text: 'Plan not found' }),
    h('p', { text: 'This plan belongs to someone who is not on your team\u2019s roster, or the link is wrong.' }),
    h('p', {}, h('a', { class: 'button', href: '#/people', text: 'Go to the team roster' }))));
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}

// Loads the plan, its person and the structure, or shows "not found".
// Returns null when the view has been drawn already (not found) or is stale.
export async function loadAll(ctx, id) {
  let plan;
  try {
    plan = await loadPlan(id);
  } catch (err) {
    if (err.status === 404 && !ctx.stale()) {
      renderNotFound(ctx);
      return null;
    }
    throw err;
  }
  const [person, kinds] = await Promise.all([
    api.get(`/api/v1/people/${plan.person_id}`).then((r) => r.json),
    ctx.planKinds(),
    ctx.reference(), // sets the organisation's time zone for "today"
  ]);
  if (ctx.stale()) return null;
  return { plan, person, kinds };
}
