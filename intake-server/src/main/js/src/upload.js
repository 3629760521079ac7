// Resumable upload of an envelope in pieces (SECURITY-browser.md section 4). The uploader
// holds only the piece not yet acknowledged; after a dropped connection it asks the server
// how much it has and sends the rest.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class UploadExpiredError extends Error {}

export function createUploader({ base = '/api/v1/uploads', fetchFn = (...a) => globalThis.fetch(...a), onRetry = () => {}, maxDelayMs = 30000 } = {}) {
  let id = null;
  let offset = 0;

  async function withRetry(fn) {
    let delay = 1000;
    for (;;) {
      let r;
      try {
        r = await fn();
      } catch {
        r = null; // network error
      }
      if (r && r.status === 404) throw new UploadExpiredError('upload expired');
      if (r && r.status < 500 && r.status !== 409 && r.status !== 429) return r;
      if (r && r.status === 409) return r;
      onRetry();
      await sleep(delay);
      delay = Math.min(maxDelayMs, delay * 2);
    }
  }

  async function status() {
    const r = await withRetry(() => fetchFn(`${base}/${id}`, { method: 'GET', cache: 'no-store' }));
    if (!r.ok) throw new Error('upload status');
    return (await r.json()).offset;
  }

  return {
    get offset() {
      return offset;
    },
    async start() {
      const r = await withRetry(() => fetchFn(base, { method: 'POST' }));
      if (r.status !== 201) throw new Error('upload refused');
      const body = await r.json();
      id = body.id;
      offset = 0;
      return body;
    },
    /** Sends bytes [offset, offset + piece.length); returns once the server has them. */
    async put(piece) {
      const start = offset;
      for (;;) {
        let r = null;
        try {
          r = await fetchFn(`${base}/${id}?offset=${start}`, {
            method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: piece,
          });
        } catch {
          r = null;
        }
        if (r && r.status === 200) {
          offset = (await r.json()).offset;
          if (offset !== start + piece.length) throw new Error('upload offset');
          return;
        }
        if (r && r.status === 404) throw new UploadExpiredError('upload expired');
        if (r && r.status === 413) throw new Error('too large');
        if (r && r.status >= 400 && r.status < 500 && r.status !== 409 && r.status !== 429) throw new Error('upload refused');
        if (!r || r.status !== 409) onRetry();
        if (!r || r.status >= 500 || r.status === 429) await sleep(1000);
        const s = await status();
        if (s === start + piece.length) {
          offset = s; // the server had it; the answer was lost
          return;
        }
        if (s !== start) throw new Error('upload offset');
      }
    },
    async commit(headers) {
      const r = await withRetry(() => fetchFn(`${base}/${id}/commit`, { method: 'POST', headers }));
      if (r.status !== 201) {
        const e = new Error('commit refused');
        e.status = r.status;
        throw e;
      }
      return r.json();
    },
    async abort() {
      if (id) {
        try {
          await fetchFn(`${base}/${id}`, { method: 'DELETE' });
        } catch {
          // expires on its own
        }
      }
    },
  };
}
