// The JSON API client. It keeps the CSRF token in memory (never in
// storage), sends it on every state-changing request, tells the idle
// tracker when the server last heard from us, and hands every 401 to the
// app, which signs the view out.

let csrfToken = null;
const hooks = {
  unauthorized: () => {},
  contact: () => {},
  csrfRefreshed: () => true,
  // Where the token that goes with the current cookie is read again (the
  // person's portal has its own session and its own /me).
  csrfPath: '/api/v1/me',
};

export function setCsrf(token) {
  csrfToken = token || null;
}

// hooks: unauthorized(problem), contact(ms), csrfRefreshed(me) -> bool,
// csrfPath
export function configureApi(h) {
  Object.assign(hooks, h);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = (problem && Array.isArray(problem.errors)) ? problem.errors : [];
    // True when the app already dealt with it (a 401 signs the view out).
    this.handled = false;
  }
}

async function send(method, path, { body, ifMatch, contentType } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = `"${ifMatch}"`;
  const started = Date.now();
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'error',
  });
  let json = null;
  const ct = res.headers.get('content-type') || '';
  if (ct.includes('json')) {
    try { json = await res.json(); } catch { json = null; }
  }
  return { res, json, started };
}

// Makes one request. Resolves to { status, json, etag } for 2xx; throws
// ApiError otherwise. options: body, ifMatch (a version number), signIn
// (a 401 is a wrong password, not an ended session).
export async function request(method, path, options = {}) {
  let { res, json, started } = await send(method, path, options);
  if (res.status === 403 && json && json.type === 'urn:alongside:problem:csrf' && !options.retried) {
    // The session changed under us (another tab signed in again): fetch
    // the token that goes with the current cookie, then try once more.
    const me = await send('GET', hooks.csrfPath);
    if (me.res.ok && me.json && hooks.csrfRefreshed(me.json)) {
      setCsrf(me.json.csrf_token);
      return request(method, path, { ...options, retried: true });
    }
  }
  if (res.status !== 401) hooks.contact(started);
  if (res.ok) {
    const tag = res.headers.get('ETag');
    const etag = tag ? Number(tag.replace(/"/g, '')) : null;
    return { status: res.status, json, etag, headers: res.headers };
  }
  const err = new ApiError(res.status, json);
  if (res.status === 429) {
    err.retryAfter = Number(res.headers.get('Retry-After')) || null;
  }
  if (res.status === 401 && !options.signIn && !options.quiet401) {
    err.handled = true;
    hooks.unauthorized(json);
  }
  throw err;
}

export const api = {
  get: (path, o) => request('GET', path, o),
  post: (path, body, o = {}) => request('POST', path, { ...o, body }),
  patch: (path, body, o = {}) => request('PATCH', path, { ...o, body, contentType: 'application/merge-patch+json' }),
  del: (path, o) => request('DELETE', path, o),
};

// Builds a query string, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
