// Metadata removal before sealing (SECURITY-browser.md section 5). Push-style, bounded memory:
// JPEG non-entropy segments are held whole (<= 65537 bytes) before deciding; PNG chunks are
// copied or skipped as they stream. The same rules are implemented in Java
// (org.testigo.server.intake.strip.MetadataStripper) for sources without JavaScript.
import { ascii, concat, equal } from './bytes.js';

const PNG_SIG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT',
  'bKGD', 'pHYs', 'hIST', 'acTL', 'fcTL', 'fdAT', 'cICP']);

export class MalformedImageError extends Error {
  constructor() {
    super('image could not be cleaned');
  }
}

/** 'jpeg', 'png' or null from the first bytes (never from the name or declared type). */
export function sniff(head) {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && equal(head.subarray(0, 8), PNG_SIG)) return 'png';
  return null;
}

const startsWith = (b, s) => b.length >= s.length && equal(b.subarray(0, s.length), ascii(s));

/** Labels for what an EXIF TIFF block holds (IFD0, its Exif sub-IFD, and IFD1 = thumbnail). */
export function exifLabels(tiff) {
  const labels = new Set(['exif']);
  try {
    const le = tiff[0] === 0x49;
    if (!le && tiff[0] !== 0x4d) return labels;
    const u16 = (o) => (le ? tiff[o] | (tiff[o + 1] << 8) : (tiff[o] << 8) | tiff[o + 1]);
    const u32 = (o) => (le ? (tiff[o] | (tiff[o + 1] << 8) | (tiff[o + 2] << 16)) + tiff[o + 3] * 2 ** 24
      : tiff[o] * 2 ** 24 + ((tiff[o + 1] << 16) | (tiff[o + 2] << 8) | tiff[o + 3]));
    const tags = (off) => {
      const out = [];
      if (off + 2 > tiff.length) return { out, next: 0 };
      const n = u16(off);
      for (let i = 0; i < n && off + 2 + 12 * i + 12 <= tiff.length; i++) {
        const e = off + 2 + 12 * i;
        out.push({ tag: u16(e), value: u32(e + 8) });
      }
      const nx = off + 2 + 12 * n;
      return { out, next: nx + 4 <= tiff.length ? u32(nx) : 0 };
    };
    const ifd0 = tags(u32(4));
    const all = [...ifd0.out];
    const exif = ifd0.out.find((t) => t.tag === 0x8769);
    if (exif) all.push(...tags(exif.value).out);
    if (ifd0.next) labels.add('thumbnail');
    for (const { tag } of all) {
      if (tag === 0x8825) labels.add('location');
      else if ([0x010f, 0x0110, 0xa431, 0xa434, 0xa435, 0xa430, 0x927c, 0xa433].includes(tag)) labels.add('camera');
      else if ([0x0132, 0x9003, 0x9004].includes(tag)) labels.add('date');
      else if ([0x013b, 0x8298, 0x9c9d].includes(tag)) labels.add('author');
      else if (tag === 0x0131) labels.add('software');
    }
  } catch {
    // a damaged EXIF block is still removed; the labels are only informative
  }
  return labels;
}

function jpegSegmentLabels(marker, payload) {
  if (marker === 0xfe) return ['comment'];
  if (marker === 0xe1 && startsWith(payload, 'Exif\0')) return [...exifLabels(payload.subarray(6))];
  if (marker === 0xe1 && startsWith(payload, 'http://ns.adobe.com/')) return ['xmp'];
  if (marker === 0xe2 && startsWith(payload, 'ICC_PROFILE\0')) return ['icc'];
  if (marker === 0xe2 && startsWith(payload, 'MPF\0')) return ['thumbnail'];
  if (marker === 0xed) return ['iptc'];
  if (marker === 0xe0 && startsWith(payload, 'JFIF\0')) return ['thumbnail'];
  return ['other'];
}

/** Keeps APP0 "JFIF\0" without thumbnail (length 16) and APP14 "Adobe"; drops other APPn and COM. */
export function jpegKeeps(marker, payload) {
  if (marker === 0xe0) return payload.length === 14 && startsWith(payload, 'JFIF\0');
  if (marker === 0xee) return startsWith(payload, 'Adobe');
  return !((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe);
}

class JpegStripper {
  constructor() {
    this.pending = new Uint8Array(0);
    this.state = 'start';
    this.sawScan = false;
    this.removed = new Set();
  }

  push(chunk) {
    const out = [];
    let p = this.pending.length ? concat(this.pending, chunk) : chunk;
    let o = 0;
    for (;;) {
      const avail = p.length - o;
      if (this.state === 'start') {
        if (avail < 2) break;
        if (p[o] !== 0xff || p[o + 1] !== 0xd8) throw new MalformedImageError();
        out.push(p.subarray(o, o + 2));
        o += 2;
        this.state = 'marker';
      } else if (this.state === 'marker') {
        if (avail < 2) break;
        if (p[o] !== 0xff) throw new MalformedImageError();
        let i = o + 1;
        while (i < p.length && p[i] === 0xff) i++;
        if (i >= p.length) {
          o = i - 1; // keep one 0xFF
          break;
        }
        const m = p[i];
        if (m === 0x00 || m === 0xd8) throw new MalformedImageError();
        if ((m >= 0xd0 && m <= 0xd7) || m === 0x01) {
          out.push(new Uint8Array([0xff, m]));
          o = i + 1;
          if (this.sawScan) this.state = 'entropy';
          continue;
        }
        if (m === 0xd9) {
          out.push(new Uint8Array([0xff, 0xd9]));
          o = i + 1;
          this.state = 'trailer';
          continue;
        }
        if (p.length - i < 3) {
          o = i - 1;
          break;
        }
        const len = (p[i + 1] << 8) | p[i + 2];
        if (len < 2) throw new MalformedImageError();
        if (p.length - (i + 1) < len) {
          o = i - 1;
          break;
        }
        const payload = p.subarray(i + 3, i + 1 + len);
        if (jpegKeeps(m, payload)) {
          out.push(new Uint8Array([0xff, m]), p.subarray(i + 1, i + 1 + len));
        } else {
          for (const l of jpegSegmentLabels(m, payload)) this.removed.add(l);
        }
        o = i + 1 + len;
        if (m === 0xda) {
          this.sawScan = true;
          this.state = 'entropy';
        }
      } else if (this.state === 'entropy') {
        const ff = p.indexOf(0xff, o);
        if (ff < 0) {
          out.push(p.subarray(o));
          o = p.length;
          break;
        }
        if (ff > o) out.push(p.subarray(o, ff));
        o = ff;
        if (p.length - o < 2) break;
        const n = p[o + 1];
        if (n === 0x00 || (n >= 0xd0 && n <= 0xd7)) {
          out.push(p.subarray(o, o + 2));
          o += 2;
        } else if (n === 0xff) {
          o += 1; // fill byte
        } else {
          this.state = 'marker';
        }
      } else {
        if (avail > 0) this.removed.add('trailer');
        o = p.length;
        break;
      }
    }
    this.pending = p.slice(o);
    return out;
  }

  end() {
    const ok = this.state === 'trailer' || this.state === 'entropy' || (this.state === 'marker' && this.sawScan);
    if (!ok) throw new MalformedImageError();
    if (this.pending.length && this.state === 'entropy') return [this.pending];
    return [];
  }
}

class PngStripper {
  constructor() {
    this.pending = new Uint8Array(0);
    this.state = 'start';
    this.remaining = 0;
    this.iend = false;
    this.removed = new Set();
  }

  push(chunk) {
    const out = [];
    let p = this.pending.length ? concat(this.pending, chunk) : chunk;
    let o = 0;
    for (;;) {
      const avail = p.length - o;
      if (this.state === 'start') {
        if (avail < 8) break;
        if (!equal(p.subarray(o, o + 8), PNG_SIG)) throw new MalformedImageError();
        out.push(p.subarray(o, o + 8));
        o += 8;
        this.state = 'chunk';
      } else if (this.state === 'chunk') {
        if (avail < 8) break;
        const len = p[o] * 2 ** 24 + ((p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3]);
        const type = String.fromCharCode(...p.subarray(o + 4, o + 8));
        if (len > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) throw new MalformedImageError();
        this.remaining = len + 4;
        this.iend = type === 'IEND';
        if (PNG_KEEP.has(type)) {
          out.push(p.subarray(o, o + 8));
          this.state = 'copy';
        } else {
          this.removed.add({ tEXt: 'text', zTXt: 'text', iTXt: 'text', eXIf: 'exif', iCCP: 'icc', tIME: 'date' }[type] || 'other');
          this.state = 'skip';
        }
        o += 8;
      } else if (this.state === 'copy' || this.state === 'skip') {
        const n = Math.min(avail, this.remaining);
        if (this.state === 'copy' && n > 0) out.push(p.subarray(o, o + n));
        o += n;
        this.remaining -= n;
        if (this.remaining > 0) break;
        this.state = this.iend ? 'trailer' : 'chunk';
      } else {
        if (avail > 0) this.removed.add('trailer');
        o = p.length;
        break;
      }
    }
    this.pending = p.slice(o);
    return out;
  }

  end() {
    if (this.state !== 'trailer') throw new MalformedImageError();
    return [];
  }
}

/** A stripper for the kind sniffed from the first bytes, or null (file sent unchanged). */
export function createStripper(kind) {
  if (kind === 'jpeg') return new JpegStripper();
  if (kind === 'png') return new PngStripper();
  return null;
}

/** Strips a whole byte array (tests, small files). */
export function stripBytes(data) {
  const s = createStripper(sniff(data.subarray(0, 8)));
  if (!s) return { data, removed: [] };
  const out = [...s.push(data), ...s.end()];
  return { data: concat(...out), removed: [...s.removed] };
}
