// The "Hospital and inpatient stays" section of a person's page: the stays
// recorded in their record (kind, dates, where), newest first, and a form
// to add one. No diagnosis is asked for or kept. The section loads on its
// own, so the rest of the page does not wait for it.
import { api } from '../api.js';
import { h, clear, formatDate, todayISO, labelOf } from '../dom.js';
import { field, options, valueOrNull, showErrors, showFormProblem, clearErrors, busy, problemText } from '../forms.js';

function stayText(s, kinds) {
  const kind = labelOf(kinds, s.kind);
  const when = s.discharged_on
    ? `${formatDate(s.admitted_on)} to ${formatDate(s.discharged_on)}`
    : `since ${formatDate(s.admitted_on)}`;
  return `${kind}, ${when}`;
}

function stayItem(s, kinds) {
  return h('li', { class: 'stay', data: { stay: s.id } },
    h('p', { class: 'stay__what', text: stayText(s, kinds) }),
    s.facility ? h('p', { class: 'stay__where muted', text: s.facility }) : null);
}

function addForm(personId, kinds, onAdded) {
  const f = {
    kind: field({ id: 'stay-kind', name: 'kind', label: 'Kind of stay', type: 'select', required: true,
      options: options(kinds, { blank: 'Choose…' }) }),
    admitted: field({ id: 'stay-admitted', name: 'admitted_on', label: 'Admitted on', type: 'date', width: 'date', required: true }),
    discharged: field({ id: 'stay-discharged', name: 'discharged_on', label: 'Discharged on', type: 'date', width: 'date',
      hint: 'Leave empty while the stay goes on.' }),
    facility: field({ id: 'stay-facility', name: 'facility', label: 'Where', maxlength: 200,
      hint: 'The hospital or program, if the person is happy for it to be written down.' }),
  };
  f.admitted.control.max = todayISO();
  f.discharged.control.max = todayISO();
  const byName = { kind: f.kind, admitted_on: f.admitted, discharged_on: f.discharged, facility: f.facility };
  const form = h('form', { class: 'form stay-form', novalidate: true, 'aria-labelledby': 'stay-add-title' },
    h('h3', { id: 'stay-add-title', text: 'Add a stay' }),
    f.kind.wrap, f.admitted.wrap, f.discharged.wrap, f.facility.wrap,
    h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button', text: 'Add the stay' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {
      kind: f.kind.control.value || null,
      admitted_on: f.admitted.control.value || null,
      discharged_on: valueOrNull(f.discharged.control),
      facility: valueOrNull(f.facility.control),
    };
    busy(form, true);
    try {
      const r = await api.post(`/api/v1/people/${personId}/inpatient-stays`, body);
      form.reset();
      onAdded(r.json);
    } catch (err) {
      if (err.handled) return;
      if (err.status === 400 && err.errors.length) {
        showErrors(form, err.errors, (name) => (byName[name] ? { control: byName[name].control } : null));
      } else {
        showFormProblem(form, 'The stay was not added', problemText(err));
      }
    } finally {
      busy(form, false);
    }
  });
  return form;
}

// The section for person p: returns it at once and fills it when the
// stays arrive.
export function staysSection(ctx, p) {
  const body = h('div', { class: 'stays' }, h('p', { class: 'muted', text: 'Loading…' }));
  const section = h('section', { class: 'card', id: 'stays', 'aria-labelledby': 'stays-title' },
    h('h2', { id: 'stays-title', text: 'Hospital and inpatient stays' }),
    body);
  const draw = (items, kinds) => {
    clear(body);
    body.append(
      items.length
        ? h('ul', { class: 'stay-list', 'aria-labelledby': 'stays-title' }, items.map((s) => stayItem(s, kinds)))
        : h('p', { class: 'muted', text: 'No stays recorded.' }),
      kinds.length ? addForm(p.id, kinds, (s) => {
        items.unshift(s);
        items.sort((a, b) => (a.admitted_on < b.admitted_on ? 1 : a.admitted_on > b.admitted_on ? -1 : 0));
        draw(items, kinds);
        if (ctx.announce) ctx.announce('Stay added.');
      }) : h('p', { class: 'muted', text: 'The organisation\u2019s rules list no kinds of stay yet.' }));
  };
  api.get(`/api/v1/people/${p.id}/inpatient-stays`).then((r) => {
    if (ctx.stale && ctx.stale()) return;
    draw(r.json.items, r.json.kinds);
  }).catch((err) => {
    if (err.handled) return;
    clear(body);
    body.append(h('p', { class: 'muted', text: problemText(err) }));
  });
  return section;
}
