// The resumable uploader against a scripted server (a fake fetch) and a fake clock: retries
// back off exponentially up to a cap, honour Retry-After, and stop after a bound (issue 18),
// while 404, 409 and success keep their meaning. No test waits real time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUploader, UploadExpiredError, UploadGaveUpError } from '../src/upload.js';

const ID = '0123456789abcdef0123456789abcdef';
const NET = Symbol('network error');

const answer = (status, body, headers = {}) =>
  new Response(body == null ? null : JSON.stringify(body), { status, headers });

/**
 * A fake server: `steps` is the exact sequence of [method, path, answer] it expects, where
 * answer is a Response, NET (the request fails) or a function of the request giving one.
 * Plus a fake clock: sleep(ms) records ms and moves now() forward.
 */
function harness(steps, options = {}) {
  const seen = [];
  const sleeps = [];
  const retries = [];
  let clock = 1_000_000;
  // The uploader takes any thrown error for a network error, so a request the script does not
  // expect is recorded here too, and the next sleep (outside the uploader's try) rethrows it.
  const problems = [];
  const fetchFn = async (url, init) => {
    const method = init?.method ?? 'GET';
    seen.push(`${method} ${url}`);
    const step = steps.shift();
    if (!step || `${method} ${url}` !== `${step[0]} ${step[1]}`) {
      const e = new assert.AssertionError({ message: `unexpected request ${method} ${url}, expected ${step ? step.slice(0, 2).join(' ') : 'none'}` });
      problems.push(e);
      throw e;
    }
    const a = typeof step[2] === 'function' ? step[2](init) : step[2];
    if (a === NET) throw new TypeError('Failed to fetch');
    return a;
  };
  const uploader = createUploader({
    fetchFn,
    sleep: async (ms) => {
      if (problems.length) throw problems[0];
      sleeps.push(ms);
      clock += ms;
      await new Promise((r) => setImmediate(r)); // lets the test's timeout fire on an endless loop
    },
    now: () => clock,
    random: () => 0.5,
    onRetry: (info) => retries.push(info),
    ...options,
  });
  const done = () => assert.deepEqual(problems, [], 'every request was one the script expected');
  return { uploader, seen, sleeps, retries, steps, done, elapsed: () => clock - 1_000_000 };
}

const created = () => answer(201, { id: ID, offset: 0, maxBytes: 1 << 30, maxPieceBytes: 4 << 20 });
const POST = ['POST', '/api/v1/uploads'];
const putAt = (o) => ['PUT', `/api/v1/uploads/${ID}?offset=${o}`];
const GET = ['GET', `/api/v1/uploads/${ID}`];
const COMMIT = ['POST', `/api/v1/uploads/${ID}/commit`];
const repeat = (n, step) => Array.from({ length: n }, () => step);

test('backoff_doublesFromOneSecondWithJitterAndIsCappedAtTwentySeconds', { timeout: 5000 }, async () => {
  const h = harness([...repeat(11, [...POST, () => answer(503)]), [...POST, created()]], { maxAttempts: 20, maxRetryMs: 10 * 60000 });
  await h.uploader.start();
  // random() = 0.5: each wait is 3/4 of min(20 s, 1 s · 2^(n-1)) (drawn from [d/2, d)).
  assert.deepEqual(h.sleeps, [750, 1500, 3000, 6000, 12000, 15000, 15000, 15000, 15000, 15000, 15000]);
  assert.deepEqual(h.retries.map((r) => r.attempt), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(h.retries.map((r) => r.delayMs), h.sleeps);
  assert.ok(h.retries.every((r) => r.status === 503));
  h.done();
});

test('backoff_jitterStaysWithinHalfToFullOfTheStep', { timeout: 5000 }, async () => {
  for (const [random, expected] of [
    [() => 0, [500, 1000, 2000, 4000, 8000, 10000, 10000]],
    [() => 0.999999, [999, 1999, 3999, 7999, 15999, 19999, 19999]],
  ]) {
    const h = harness([...repeat(7, [...POST, NET]), [...POST, created()]], { random, maxAttempts: 20, maxRetryMs: 10 * 60000 });
    await h.uploader.start();
    assert.deepEqual(h.sleeps, expected);
    assert.ok(h.retries.every((r) => r.status === null), 'a network error has no status');
    h.done();
  }
});

test('retryAfter_isHonouredOn429And503_cappedAt120s_andIgnoredOnOtherAnswersOrWhenADate', { timeout: 5000 }, async () => {
  const h = harness([
    [...POST, answer(429, null, { 'Retry-After': '7' })],
    [...POST, answer(503, null, { 'Retry-After': '3600' })],
    [...POST, answer(500, null, { 'Retry-After': '50' })],
    [...POST, answer(503, null, { 'Retry-After': 'Wed, 21 Oct 2065 07:28:00 GMT' })],
    [...POST, answer(503, null, { 'Retry-After': '2' })],
    [...POST, created()],
  ], { maxRetryMs: 10 * 60000 });
  await h.uploader.start();
  // Retry-After t waits [t, t + 1 s): random() = 0.5 adds 500 ms. Backoff for attempts 3 and 4: 3000, 6000.
  assert.deepEqual(h.sleeps, [7500, 120500, 3000, 6000, 2500]);
  assert.deepEqual(h.retries.map((r) => r.status), [429, 503, 500, 503, 503]);
  h.done();
});

test('defaults_giveUpAfterEightFailedRequests_withUploadGaveUpError', { timeout: 5000 }, async () => {
  const h = harness(repeat(8, [...POST, NET]));
  await assert.rejects(h.uploader.start(), UploadGaveUpError);
  assert.equal(h.seen.length, 8);
  assert.equal(h.steps.length, 0);
  assert.deepEqual(h.sleeps, [750, 1500, 3000, 6000, 12000, 15000, 15000]);
  assert.equal(h.retries.length, 7);
  h.done();
});

test('defaults_giveUpBeforeAWaitThatWouldEndAfterThreeMinutes', { timeout: 5000 }, async () => {
  // Told to come back in 100 s twice: the second wait would end at ~201 s > 180 s, so it is not started.
  const busy = answer(503, null, { 'Retry-After': '100' });
  const h = harness([[...POST, busy], [...POST, () => answer(503, null, { 'Retry-After': '100' })]]);
  await assert.rejects(h.uploader.start(), UploadGaveUpError);
  assert.deepEqual(h.sleeps, [100500]);
  assert.ok(h.elapsed() <= 180000);
  h.done();
});

test('maxAttemptsAndMaxRetryMs_areOptions', { timeout: 5000 }, async () => {
  const few = harness(repeat(3, [...POST, () => answer(502)]), { maxAttempts: 3 });
  await assert.rejects(few.uploader.start(), UploadGaveUpError);
  assert.equal(few.seen.length, 3);
  const short = harness(repeat(3, [...POST, () => answer(502)]), { maxRetryMs: 5000 });
  await assert.rejects(short.uploader.start(), UploadGaveUpError);
  assert.equal(short.seen.length, 3);
  assert.deepEqual(short.sleeps, [750, 1500]); // then 3000 would end at 5250 ms > 5000 ms
  few.done();
  short.done();
});

test('put_andItsStatusQueriesShareOneBound', { timeout: 5000 }, async () => {
  const h = harness([[...POST, created()], [...putAt(0), NET], ...repeat(7, [...GET, () => answer(503)])]);
  await h.uploader.start();
  await assert.rejects(h.uploader.put(new Uint8Array(10)), UploadGaveUpError);
  assert.equal(h.steps.length, 0);
  assert.equal(h.sleeps.length, 7);
  h.done();
});

test('put_409AnswersAreBoundedToo', { timeout: 5000 }, async () => {
  // A server that keeps answering 409 while saying it is at our offset: no endless loop.
  const conflict = () => answer(409, { offset: 0 });
  const h = harness([[...POST, created()], ...Array.from({ length: 4 }, () => [[...putAt(0), conflict], [...GET, () => answer(200, { offset: 0, committed: false })]]).flat()], { maxAttempts: 4 });
  await h.uploader.start();
  await assert.rejects(h.uploader.put(new Uint8Array(10)), UploadGaveUpError);
  assert.deepEqual(h.sleeps, [], 'a 409 is answered at once, without waiting');
  h.done();
});

test('notFound_isStillUploadExpiredError_alsoAfterALongWait', { timeout: 5000 }, async () => {
  const a = harness([[...POST, created()], [...putAt(0), answer(404)]]);
  await a.uploader.start();
  await assert.rejects(a.uploader.put(new Uint8Array(10)), UploadExpiredError);
  // The server released the slot during the wait: the status query after it gets 404.
  const b = harness([[...POST, created()], [...putAt(0), answer(429, null, { 'Retry-After': '90' })], [...GET, answer(404)]]);
  await b.uploader.start();
  await assert.rejects(b.uploader.put(new Uint8Array(10)), (e) => e instanceof UploadExpiredError && !(e instanceof UploadGaveUpError));
  assert.deepEqual(b.sleeps, [90500]);
  const c = harness([[...POST, created()], [...COMMIT, NET], [...COMMIT, answer(404)]]);
  await c.uploader.start();
  await assert.rejects(c.uploader.commit({}), UploadExpiredError);
  a.done();
  b.done();
  c.done();
});

test('put_409ResumesFromTheServersOffset', { timeout: 5000 }, async () => {
  const piece = new Uint8Array(10);
  const h = harness([
    [...POST, created()],
    [...putAt(0), answer(409, { offset: 0 })],
    [...GET, answer(200, { offset: 0, committed: false })],
    [...putAt(0), answer(200, { offset: 10 })],
    // the next piece: the answer is lost, but the server had it
    [...putAt(10), NET],
    [...GET, answer(200, { offset: 20, committed: false })],
  ]);
  await h.uploader.start();
  await h.uploader.put(piece);
  assert.equal(h.uploader.offset, 10);
  await h.uploader.put(piece);
  assert.equal(h.uploader.offset, 20);
  assert.equal(h.steps.length, 0);
  assert.deepEqual(h.sleeps, [750]);
  h.done();
});

test('success_afterAFewFailures_andEachOperationGetsAFreshBound', { timeout: 5000 }, async () => {
  const piece = new Uint8Array(5);
  const h = harness([
    [...POST, NET], [...POST, answer(502)], [...POST, created()],
    [...putAt(0), answer(503, null, { 'Retry-After': '1' })], [...GET, answer(200, { offset: 0, committed: false })],
    [...putAt(0), answer(200, { offset: 5 })],
    [...putAt(5), NET], [...GET, NET], [...GET, answer(200, { offset: 5, committed: false })],
    [...putAt(5), answer(200, { offset: 10 })],
    [...COMMIT, NET], [...COMMIT, answer(201, { id: 'x', receivedDay: '2025-01-01' })],
  ], { maxAttempts: 3 });
  await h.uploader.start();
  await h.uploader.put(piece);
  await h.uploader.put(piece);
  assert.equal(h.uploader.offset, 10);
  assert.deepEqual(await h.uploader.commit({ 'Testigo-Mailbox-Lookup-Key': 'k' }), { id: 'x', receivedDay: '2025-01-01' });
  assert.equal(h.steps.length, 0);
  assert.deepEqual(h.sleeps, [750, 1500, 1500, 750, 1500, 750]);
  h.done();
});

test('otherClientErrors_areNotRetried', { timeout: 5000 }, async () => {
  const h = harness([[...POST, created()], [...putAt(0), answer(413)], [...putAt(0), answer(400)]]);
  await h.uploader.start();
  await assert.rejects(h.uploader.put(new Uint8Array(1)), /too large/);
  await assert.rejects(h.uploader.put(new Uint8Array(1)), /upload refused/);
  assert.deepEqual(h.sleeps, []);
  h.done();
});
