// Resumable upload of an envelope in pieces (SECURITY-browser.md section 4). The uploader
// holds only the piece not yet acknowledged; after a dropped connection it asks the server
// how much it has and sends the rest.
//
// Retries are bounded (issue 18: under attack a source must not see "retrying…" forever).
// A network error, a 5xx or a 429 is retried after a wait: capped exponential backoff with
// jitter, or the server's Retry-After (seconds, on 429/503) when it sends one. One operation
// (start, one piece, commit) gives up with UploadGaveUpError after `maxAttempts` failed
// requests in a row or once `maxRetryMs` have passed since its first failure, whichever
// comes first; a wait that would end after `maxRetryMs` is not started. Options of
// createUploader, with their defaults:
//   maxAttempts      8        failed requests of one operation before giving up
//   maxRetryMs       180000   time from the first failure of an operation to giving up (3 min)
//   initialDelayMs   1000     first wait; each further wait doubles it...
//   maxDelayMs       20000    ...up to this cap; the wait is drawn from [d/2, d) (jitter)
//   maxRetryAfterMs  120000   a longer Retry-After is cut to this
//   onRetry({ attempt, delayMs, status })  called before each wait (status null: network error)
//   sleep, now, random, fetchFn            injectable for tests
// The server releases an upload that received no byte for 60 s: after a long wait the next
// request may get 404, which ends the upload with UploadExpiredError.
const realSleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class UploadExpiredError extends Error {}

/** The uploader stopped retrying: the service stayed busy or the connection kept failing. */
export class UploadGaveUpError extends Error {}

export function createUploader({
  base = '/api/v1/uploads',
  fetchFn = (...a) => globalThis.fetch(...a),
  onRetry = () => {},
  maxAttempts = 8,
  maxRetryMs = 180000,
  initialDelayMs = 1000,
  maxDelayMs = 20000,
  maxRetryAfterMs = 120000,
  sleep = realSleep,
  now = () => Date.now(),
  random = Math.random,
} = {}) {
  let id = null;
  let offset = 0;

  /** Failures of one operation so far (one "streak"); shared by the requests it makes. */
  const streak = () => ({ failures: 0, since: 0 });

  function retryAfterMs(r) {
    if (!r || (r.status !== 429 && r.status !== 503) || !r.headers) return null;
    const v = r.headers.get('Retry-After');
    if (v == null || !/^\s*\d{1,9}\s*$/.test(v)) return null; // an HTTP date is ignored
    return Math.min(maxRetryAfterMs, Number(v) * 1000);
  }

  /** Counts one failed request; throws UploadGaveUpError when the bound is reached. */
  function fail(s, r) {
    s.failures += 1;
    if (s.failures === 1) s.since = now();
    if (s.failures >= maxAttempts) {
      throw new UploadGaveUpError(`upload gave up after ${s.failures} attempts` + (r ? ` (last answer ${r.status})` : ' (network error)'));
    }
  }

  /** Counts a failed request and waits before the next one, or gives up. */
  async function pause(s, r) {
    fail(s, r);
    const backoff = Math.min(maxDelayMs, initialDelayMs * 2 ** (s.failures - 1));
    const told = retryAfterMs(r);
    // Jitter spreads clients that failed together: [d/2, d) for backoff, [t, t + 1 s) after a Retry-After.
    const delayMs = told != null ? told + Math.floor(random() * 1000) : Math.floor(backoff / 2 + (random() * backoff) / 2);
    if (now() - s.since + delayMs > maxRetryMs) {
      throw new UploadGaveUpError(`upload gave up: the next try would come after ${maxRetryMs} ms`);
    }
    onRetry({ attempt: s.failures, delayMs, status: r ? r.status : null });
    await sleep(delayMs);
  }

  async function withRetry(fn, s = streak()) {
    for (;;) {
      let r;
      try {
        r = await fn();
      } catch {
        r = null; // network error
      }
      if (r && r.status === 404) throw new UploadExpiredError('upload expired');
      if (r && r.status < 500 && r.status !== 429) return r; // including 409
      await pause(s, r);
    }
  }

  async function status(s) {
    const r = await withRetry(() => fetchFn(`${base}/${id}`, { method: 'GET', cache: 'no-store' }), s);
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
      const s = streak();
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
        if (r && r.status === 409) fail(s, r); // the server says where it is: ask, no wait, but counted
        else await pause(s, r);
        const at = await status(s);
        if (at === start + piece.length) {
          offset = at; // the server had it; the answer was lost
          return;
        }
        if (at !== start) throw new Error('upload offset');
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
