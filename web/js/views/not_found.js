// Shown for a person who is not on the signed-in person's rosters (or does
// not exist: the two look the same on purpose), for a resource the
// directory does not hold and for unknown addresses.
// Returns the page, so the person route can add the emergency-access
// (break-glass) form to it (views/break_glass.js).
import { h, linkButton } from '../dom.js';

export function render(ctx, { what = 'page' } = {}) {
  if (what === 'resource') {
    const page = h('div', { class: 'page page--narrow' },
      h('h1', { text: 'Resource not found' }),
      h('p', { text: 'This resource is not in the directory. The link may be wrong.' }),
      h('p', {}, linkButton('#/resources', 'Search the resources')));
    ctx.main.append(page);
    ctx.setView({ snapshot: () => null, isDirty: () => false });
    return page;
  }
  const person = what === 'person';
  const page = h('div', { class: 'page page--narrow' },
    h('h1', { text: person ? 'Person not found' : 'Page not found' }),
    h('p', { text: person
      ? 'This person is not on your team\u2019s roster. They may be supported by another team, or the link may be wrong.'
      : 'There is no page at this address in Alongside.' }),
    h('p', {}, linkButton('#/people', 'Go to the team roster')));
  ctx.main.append(page);
  ctx.setView({ snapshot: () => null, isDirty: () => false });
  return page;
}
