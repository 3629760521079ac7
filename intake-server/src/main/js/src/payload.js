// Payload container v1 (SECURITY.md 6.1), written push-style into an async sink. Mirrors the
// Java PayloadWriter byte for byte: full 65536-byte chunks, u32 0 after each part, 0x00 end.
import { ascii, concat, te, u32 } from './bytes.js';

export const MAGIC = ascii('TGPAYLD1');
const MAX_CHUNK = 65536;

/** Same JSON as Jackson with @JsonPropertyOrder({"name","filename","type"}) and NON_NULL. */
export function partHeader(name, filename, type) {
  const h = { name };
  if (filename != null) h.filename = filename;
  if (type != null) h.type = type;
  return te.encode(JSON.stringify(h));
}

/** sink(bytes) -> Promise. */
export function createPayloadWriter(sink) {
  const buf = new Uint8Array(MAX_CHUNK);
  let fill = 0;
  let open = false;
  const emit = async () => {
    await sink(concat(u32(fill), buf.subarray(0, fill)));
    buf.fill(0, 0, fill);
    fill = 0;
  };
  return {
    start: () => sink(MAGIC),
    async beginPart(header) {
      if (open) throw new Error('part open');
      if (header.length < 1 || header.length > 4096) throw new Error('part header');
      open = true;
      await sink(concat(new Uint8Array([1, header.length >>> 8, header.length & 0xff]), header));
    },
    async write(data) {
      let off = 0;
      while (off < data.length) {
        const n = Math.min(data.length - off, MAX_CHUNK - fill);
        buf.set(data.subarray(off, off + n), fill);
        fill += n;
        off += n;
        if (fill === MAX_CHUNK) await emit();
      }
    },
    async endPart() {
      if (fill > 0) await emit();
      open = false;
      await sink(u32(0));
    },
    finish: () => sink(new Uint8Array([0])),
  };
}

/** Java FileNames.clean: last path segment, no control characters, at most 200 code points. */
export function cleanFileName(name) {
  let n = String(name).replace(/\\/g, '/');
  n = n.substring(n.lastIndexOf('/') + 1);
  const cps = Array.from(n).filter((c) => {
    const cp = c.codePointAt(0);
    return cp >= 0x20 && cp !== 0x7f;
  });
  return cps.length === 0 ? 'file' : cps.slice(0, 200).join('');
}

/** Java FileNames.cleanType. */
export function cleanType(type) {
  if (!type) return 'application/octet-stream';
  const t = type.split(';')[0].trim().toLowerCase();
  return t.length <= 100 && /^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/.test(t) ? t : 'application/octet-stream';
}
