// A plan's versions, newest first (number, status, when started, when
// signed, who signed), and a comparison of any two: what was added,
// removed or changed, labelled with the kind's field labels and with
// changed words marked.
import { api } from '../api.js';
import { h, clear, formatDate, formatTime } from '../dom.js';
import { VERSION_STATUS, breadcrumb, kindOf, loadAll, roleLabel, signatureLine } from './plan_common.js';
import { diffContent } from './plan_diff.js';
import { changeList } from './plan_view.js';

export async function render(ctx, id) {
  const data = await loadAll(ctx, id);
  if (!data) return;
  const { plan, person, kinds } = data;
  const r = await api.get(`/api/v1/plans/${plan.id}/versions`);
  if (ctx.stale()) return;
  const versions = r.json.items;
  const kind = kindOf(kinds, plan.kind);
  const cache = new Map();
  const contentOf = async (n) => {
    if (!cache.has(n)) cache.set(n, api.get(`/api/v1/plans/${plan.id}/versions/${n}`).then((x) => x.json));
    return cache.get(n);
  };

  const result = h('div', { class: 'diff-result', id: 'diff-result' });
  let compare = null;
  if (versions.length > 1) {
    const opt = (v) => h('option', { value: String(v.n), text: `Version ${v.n} (${(VERSION_STATUS[v.status] || v.status).toLowerCase()})` });
    const from = h('select', { id: 'compare-from', name: 'from' }, versions.map(opt));
    const to = h('select', { id: 'compare-to', name: 'to' }, versions.map(opt));
    from.value = String(versions[1].n);
    to.value = String(versions[0].n);
    compare = h('form', { class: 'form compare-form', novalidate: true, 'aria-labelledby': 'compare-title' },
      h('h2', { id: 'compare-title', text: 'Compare two versions' }),
      h('div', { class: 'compare-form__fields' },
        h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'compare-from', text: 'From version' }), from),
        h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'compare-to', text: 'To version' }), to)),
      h('div', { class: 'form__actions' }, h('button', { type: 'submit', class: 'button', text: 'Compare' })));
    compare.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const a = Number(from.value);
      const b = Number(to.value);
      clear(result);
      result.append(h('p', { class: 'loading', text: 'Comparing\u2026' }));
      try {
        const [va, vb] = await Promise.all([contentOf(a), contentOf(b)]);
        if (ctx.stale()) return;
        const changes = diffContent(kinds, kind ? kind.fields : [], va.content, vb.content);
        clear(result);
        result.append(h('div', {},
          h('h2', { id: 'diff-title', tabindex: '-1', text: `Changes from version ${a} to version ${b}` }),
          a === b ? h('p', { text: 'These are the same version.' })
            : changes.length ? [h('p', { class: 'diff__count', text: `${changes.length} ${changes.length === 1 ? 'change' : 'changes'}.` }), changeList(changes)]
              : h('p', { text: 'The words of these two versions are the same.' })));
        result.querySelector('h2').focus();
      } catch (err) {
        if (ctx.stale() || err.handled) return;
        clear(result);
        result.append(h('p', { class: 'field__error', text: 'The versions could not be loaded. Try again.' }));
      }
    });
  }

  const page = h('div', { class: 'page plan-history' },
    breadcrumb(person, h('a', { href: `#/plans/${plan.id}`, text: kind ? kind.label : plan.kind })),
    h('h1', { text: 'Version history' }),
    h('p', { class: 'lead' }, `${kind ? kind.label : plan.kind} for `, h('strong', { text: person.preferred_name }), '.'),
    h('section', { class: 'card', 'aria-labelledby': 'versions-title' },
      h('h2', { id: 'versions-title', text: 'Versions' }),
      h('ol', { class: 'version-list', reversed: true }, versions.map((v) => h('li', { class: 'version' },
        h('h3', {}, `Version ${v.n}: ${VERSION_STATUS[v.status] || v.status}`,
          v.n === plan.in_force ? h('span', { class: 'badge badge--plan badge--plan-signed version__force', text: 'In force' }) : null),
        h('p', { class: 'version__meta', text: `Started ${formatTime(v.created_at)}${v.created_by_name ? ` by ${v.created_by_name}` : ''}.${v.signed_on ? ` Signed ${formatDate(v.signed_on)}.` : ''}` }),
        v.signatures.length
          ? h('ul', { class: 'signature-list' }, v.signatures.map((s) => h('li', { text: signatureLine(s, roleLabel(kinds, plan, s.role)) })))
          : h('p', { class: 'muted', text: 'No signatures.' })))),
      versions.length > 1 ? null : h('p', { class: 'muted', text: 'There is only one version so far, so there is nothing to compare yet.' })),
    compare ? h('section', { class: 'card' }, compare, result) : null);

  clear(ctx.main);
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
}
