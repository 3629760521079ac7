// Progressive enhancement of the report form. Without this script the form posts to the
// server, which seals for the source. With it, the report is sealed here and only the
// envelope leaves the browser. Nothing secret is stored (no storage API is used).
import { concat, fromHex, shortForm, toBase64Url } from './bytes.js';
import { createSealer } from './envelope.js';
import { parseArmored, verifyChain, recipients } from './manifest.js';
import { createPayloadWriter, partHeader, cleanFileName, cleanType } from './payload.js';
import { generate, render, renderDigits, deriveKeys, receiptLanguage, sameWord } from './receipt.js';
import { createStripper, sniff, MalformedImageError } from './strip.js';
import { buildQuestionnaire } from './questionnaire.js';
import { createUploader, UploadExpiredError, UploadGaveUpError } from './upload.js';

const PIECE = 1024 * 1024;
const SLICE = 65536;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function messages() {
  const m = {};
  for (const e of document.querySelectorAll('#testigo-messages [data-key]')) m[e.dataset.key] = e.textContent;
  return (k, ...args) => (m[k] || k).replace(/\{(\d)\}/g, (_, i) => args[Number(i)] ?? '');
}

/** Reads a file slice by slice, through the metadata stripper when it is a JPEG or PNG. */
async function* fileBytes(file, stripper) {
  for (let o = 0; o < file.size; o += SLICE) {
    const chunk = new Uint8Array(await file.slice(o, o + SLICE).arrayBuffer());
    if (stripper) yield* stripper.push(chunk);
    else yield chunk;
  }
  if (stripper) yield* stripper.end();
}

async function scanFile(file) {
  const kind = sniff(new Uint8Array(await file.slice(0, 8).arrayBuffer()));
  const stripper = createStripper(kind);
  if (!stripper) return { kind, removed: [] };
  try {
    // eslint-disable-next-line no-unused-vars
    for await (const _ of fileBytes(file, stripper));
  } catch (e) {
    if (e instanceof MalformedImageError) return { kind, malformed: true, removed: [] };
    throw e;
  }
  return { kind, removed: [...stripper.removed] };
}

export function enhance(form) {
  const t = messages();
  const ds = form.dataset;
  const pinned = fromHex(ds.rootFingerprint);
  const params = { memoryKiB: +ds.argon2Memory, iterations: +ds.argon2Iterations, parallelism: +ds.argon2Parallelism };
  const maxBytes = +ds.maxBytes;
  const maxFiles = +ds.maxFiles;
  const lang = ds.lang;

  const panel = el('section', 'js-panel');
  panel.setAttribute('aria-live', 'polite');
  const keyLine = el('p', 'small', t('js.verifying'));
  const fileInfo = el('div', 'js-files');
  const status = el('p', 'js-status');
  const bar = el('progress');
  bar.max = 1000;
  bar.value = 0;
  bar.hidden = true;
  panel.append(el('p', 'small', t('js.encrypted_here')), keyLine, fileInfo, bar, status);
  const button = form.querySelector('button[type=submit]');
  button.before(panel);
  button.disabled = true;

  // Receipt first: the server's receipt (for the no-JS path) is replaced at once by one made
  // here, which never leaves the browser; the report is sealed only after two of its words
  // (or digit groups) are typed back.
  const shown = document.getElementById('testigo-receipt-words');
  const section = document.getElementById('testigo-receipt');
  const digits = section && section.dataset.digits === 'true';
  if (shown) shown.textContent = '…';
  for (const hidden of form.querySelectorAll('input[type=hidden][name=receipt]')) hidden.value = '';
  const receiptReady = (async () => {
    const secret = await generate();
    const words = digits ? await renderDigits(secret) : await render(secret, receiptLanguage(lang));
    if (shown) shown.textContent = words;
    if (section) section.dataset.origin = 'browser';
    return { secret, words };
  })();

  let keys = null;
  const ready = (async () => {
    try {
      const r = await fetch('/api/v1/manifest', { cache: 'no-store' });
      const latest = await verifyChain(parseArmored(await r.text()), pinned);
      const rs = recipients(latest, Math.floor(Date.now() / 1000));
      if (rs.length === 0) throw new Error('no recipients');
      keys = rs;
      keyLine.textContent = t('js.verified', shortForm(pinned));
      keyLine.className = 'small verified';
      button.disabled = false;
      form.dataset.testigoReady = 'true';
    } catch {
      keyLine.textContent = t('js.verify_failed');
      keyLine.className = 'warning';
      form.dataset.testigoReady = 'failed';
    }
  })();

  const fileInput = form.querySelector('input[type=file]');
  let scans = Promise.resolve([]);
  if (fileInput) {
    fileInput.addEventListener('change', () => {
      fileInfo.replaceChildren();
      scans = Promise.all(Array.from(fileInput.files).map(async (f) => {
        const s = await scanFile(f);
        const line = el('p', 'small');
        if (s.malformed) line.textContent = t('js.malformed', cleanFileName(f.name));
        else if (!s.kind) line.textContent = t('js.not_checked', cleanFileName(f.name));
        else if (s.removed.length === 0) line.textContent = t('js.nothing_found', cleanFileName(f.name));
        else line.textContent = t('js.removed', cleanFileName(f.name), s.removed.map((k) => t('js.meta.' + k)).join(', '));
        fileInfo.append(line);
        return s;
      }));
    });
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    await ready;
    if (!keys) return;
    const fd = new FormData(form);
    const built = buildQuestionnaire((n) => (fd.has(n) ? String(fd.get(n)) : ''), (n) => fd.getAll(n).map(String), lang);
    if (built.errors) {
      status.className = 'warning';
      status.textContent = built.errors.map((f) => {
        if (f === 'empty') return t('js.empty');
        const label = form.querySelector(`label[for="${f}"]`);
        return t('js.check', label ? label.textContent : f);
      }).join(' ');
      return;
    }
    const { secret, words } = await receiptReady;
    const confirms = Array.from(form.querySelectorAll('input[data-position]'));
    const shownWords = words.split(' ');
    if (confirms.some((c) => !sameWord(c.value, shownWords[Number(c.dataset.position) - 1] || ''))) {
      const note = form.querySelector('[data-testigo-confirm-error]');
      status.className = 'warning';
      status.textContent = note ? note.textContent : '';
      if (confirms.length) confirms[0].focus();
      return;
    }
    const files = fileInput ? Array.from(fileInput.files).filter((f) => f.name !== '') : [];
    const scanned = await scans;
    if (files.length > maxFiles) return void (status.textContent = t('js.too_many'));
    if (scanned.some((s) => s.malformed)) return void (status.textContent = t('js.malformed_block'));
    const estimate = files.reduce((a, f) => a + f.size + 64, built.json.length + 4096);
    if (estimate * 1.13 + 8192 > maxBytes) return void (status.textContent = t('js.too_large'));

    for (const c of form.elements) c.disabled = true;
    status.className = 'js-status';
    bar.hidden = false;
    let derived = 0;
    let sent = 0;
    const progress = () => {
      bar.value = Math.min(990, Math.round(200 * derived + 790 * Math.min(1, sent / (estimate * 1.13 + 4096))));
    };
    // While the uploader waits before a retry, say how long: refreshed every 5 s, not every
    // second (the panel is an aria-live region; a screen reader would read each change).
    let tick = null;
    let end = null;
    const quiet = () => {
      clearInterval(tick);
      clearTimeout(end);
      tick = end = null;
    };
    const say = (text) => {
      quiet();
      status.textContent = text;
    };
    const onRetry = ({ delayMs }) => {
      const until = Date.now() + delayMs;
      say(t('js.retry_in', Math.max(1, Math.ceil(delayMs / 1000))));
      tick = setInterval(() => {
        const left = Math.ceil((until - Date.now()) / 1000);
        if (left > 0) status.textContent = t('js.retry_in', left);
      }, 5000);
      end = setTimeout(() => say(t('js.trying_again')), delayMs);
    };
    const uploader = createUploader({ onRetry });
    try {
      say(t('js.sealing'));
      const keysPromise = deriveKeys(secret, params, pinned, (p) => {
        derived = p;
        progress();
      });
      keysPromise.catch(() => {});
      await uploader.start();
      const sealer = await createSealer(keys, 'report');
      let pending = [sealer.header];
      let pendingLen = sealer.header.length;
      const flush = async (force) => {
        if (pendingLen >= PIECE || (force && pendingLen > 0)) {
          const piece = concat(...pending);
          pending = [];
          pendingLen = 0;
          say(t('js.uploading'));
          await uploader.put(piece);
          sent = uploader.offset;
          progress();
        }
      };
      const take = async (cts) => {
        for (const c of cts) {
          pending.push(c);
          pendingLen += c.length;
        }
        await flush(false);
      };
      const payload = createPayloadWriter(async (bytes) => take(await sealer.write(bytes)));
      await payload.start();
      await payload.beginPart(partHeader('questionnaire', null, 'application/json'));
      await payload.write(built.json);
      await payload.endPart();
      for (const f of files) {
        const kind = sniff(new Uint8Array(await f.slice(0, 8).arrayBuffer()));
        await payload.beginPart(partHeader('file', cleanFileName(f.name), cleanType(f.type)));
        for await (const bytes of fileBytes(f, createStripper(kind))) await payload.write(bytes);
        await payload.endPart();
      }
      await payload.finish();
      await take(await sealer.finish());
      await flush(true);
      say(t('js.deriving'));
      const k = await keysPromise;
      const reg = await fetch('/api/v1/mailboxes', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ lookupKey: toBase64Url(k.lookup), replyPublicKey: toBase64Url(k.replyPublicKey) }),
      });
      if (reg.status !== 201 && reg.status !== 200) throw new Error('mailbox');
      await uploader.commit({ 'Testigo-Mailbox-Lookup-Key': toBase64Url(k.lookup) });
      quiet();
      k.lookup.fill(0);
      k.seed.fill(0);
      bar.value = 1000;
      showReceipt(t, words, lang);
      secret.fill(0);
    } catch (e) {
      quiet();
      await uploader.abort();
      status.className = 'warning';
      if (e instanceof UploadExpiredError) status.textContent = t('js.expired');
      else if (e instanceof UploadGaveUpError) status.textContent = t('js.gave_up');
      else status.textContent = t('js.failed');
      for (const c of form.elements) c.disabled = false;
      bar.hidden = true;
    }
  });
}

function showReceipt(t, words, lang) {
  const main = document.querySelector('main');
  const h1 = el('h1', null, t('receipt.title'));
  const link = el('a', null, t('status.title'));
  link.href = '/status?lang=' + encodeURIComponent(lang);
  const p = el('p', null, t('receipt.status') + ' ');
  p.append(link);
  main.replaceChildren(h1, el('p', null, t('receipt.intro')), el('p', 'receipt', words), el('p', 'warning', t('receipt.advice')), p);
  document.title = t('receipt.title');
  h1.tabIndex = -1;
  h1.focus();
}
