// An HTTP client for the API that keeps the session cookie and CSRF token
// the way the browser UI does.
export class Client {
  constructor(base) {
    this.base = base;
    this.cookie = null;
    this.csrf = null;
    this.me = null;
  }

  async request(method, path, { body, headers = {}, raw } = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (this.csrf && method !== 'GET' && method !== 'HEAD' && !('X-CSRF-Token' in h)) {
      h['X-CSRF-Token'] = this.csrf;
    }
    let payload;
    if (raw !== undefined) {
      payload = raw;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      if (!('Content-Type' in h)) h['Content-Type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    let json = null;
    const ct = res.headers.get('content-type') || '';
    if (ct.includes('json') && text) json = JSON.parse(text);
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      // Staff's session, or the person's in their portal.
      const m = /^(alongside_session|alongside_portal)=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[2] ? `${m[1]}=${m[2]}` : null;
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, body, opts = {}) { return this.request('POST', path, { ...opts, body }); }
  patch(path, body, opts = {}) { return this.request('PATCH', path, { ...opts, body }); }
  del(path, opts) { return this.request('DELETE', path, opts); }

  async signIn(username, password) {
    const r = await this.post('/api/v1/session', { username, password });
    if (r.status === 201) {
      this.csrf = r.json.csrf_token;
      this.me = r.json;
    }
    return r;
  }
}

// Signs in and fails loudly when that does not work.
export async function signedIn(base, username, password) {
  const c = new Client(base);
  const r = await c.signIn(username, password);
  if (r.status !== 201) throw new Error(`sign-in as ${username} failed: ${r.status} ${r.text}`);
  return c;
}
