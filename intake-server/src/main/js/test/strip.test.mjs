import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripBytes, createStripper, sniff, MalformedImageError } from '../src/strip.js';
import { ascii, concat } from '../src/bytes.js';

const seg = (m, payload) => concat(new Uint8Array([0xff, m, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload);

/** Big-endian TIFF with IFD0 {Make, GPS pointer} and a GPS IFD {GPSLatitudeRef}. */
function exifTiff() {
  const t = new Uint8Array(64);
  const dv = new DataView(t.buffer);
  t.set(ascii('MM'), 0);
  dv.setUint16(2, 42);
  dv.setUint32(4, 8);
  dv.setUint16(8, 2);
  dv.setUint16(10, 0x010f); dv.setUint16(12, 2); dv.setUint32(14, 4); t.set(ascii('Cam\0'), 18);
  dv.setUint16(22, 0x8825); dv.setUint16(24, 4); dv.setUint32(26, 1); dv.setUint32(30, 38);
  dv.setUint32(34, 0);
  dv.setUint16(38, 1);
  dv.setUint16(40, 0x0001); dv.setUint16(42, 2); dv.setUint32(44, 2); t.set(ascii('N\0'), 48);
  dv.setUint32(52, 0);
  return t;
}

export function gpsJpeg() {
  return concat(
    new Uint8Array([0xff, 0xd8]),
    seg(0xe0, concat(ascii('JFIF\0'), new Uint8Array([1, 1, 0, 0, 1, 0, 1, 0, 0]))),
    seg(0xe1, concat(ascii('Exif\0\0'), exifTiff())),
    seg(0xfe, ascii('shot on my phone')),
    seg(0xdb, new Uint8Array(65).fill(1)),
    seg(0xc0, new Uint8Array([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
    seg(0xda, new Uint8Array([1, 1, 0, 0, 0x3f, 0])),
    new Uint8Array([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd1, 0x78]),
    seg(0xe1, concat(ascii('http://ns.adobe.com/xap/1.0/\0'), ascii('<x:xmpmeta/>'))),
    seg(0xda, new Uint8Array([1, 1, 0, 0, 0x3f, 0])),
    new Uint8Array([0x9a, 0xff, 0xd9]),
    ascii('TRAILER-WITH-SECRETS'),
  );
}

test('jpeg_dropsExifGpsXmpCommentAndTrailerKeepsImageSegmentsByteForByte', () => {
  const src = gpsJpeg();
  const { data, removed } = stripBytes(src);
  const expected = concat(
    new Uint8Array([0xff, 0xd8]),
    seg(0xe0, concat(ascii('JFIF\0'), new Uint8Array([1, 1, 0, 0, 1, 0, 1, 0, 0]))),
    seg(0xdb, new Uint8Array(65).fill(1)),
    seg(0xc0, new Uint8Array([8, 0, 1, 0, 1, 1, 1, 0x11, 0])),
    seg(0xda, new Uint8Array([1, 1, 0, 0, 0x3f, 0])),
    new Uint8Array([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd1, 0x78]),
    seg(0xda, new Uint8Array([1, 1, 0, 0, 0x3f, 0])),
    new Uint8Array([0x9a, 0xff, 0xd9]),
  );
  assert.deepEqual(Buffer.from(data).toString('hex'), Buffer.from(expected).toString('hex'));
  assert.deepEqual(removed.sort(), ['camera', 'comment', 'exif', 'location', 'trailer', 'xmp']);
});

test('jpeg_givesTheSameOutputWhateverTheChunkBoundaries', () => {
  const src = gpsJpeg();
  const whole = stripBytes(src).data;
  for (const size of [1, 2, 3, 5, 7, 64]) {
    const s = createStripper('jpeg');
    const out = [];
    for (let o = 0; o < src.length; o += size) out.push(...s.push(src.slice(o, o + size)));
    out.push(...s.end());
    assert.deepEqual(Buffer.from(concat(...out)), Buffer.from(whole), `chunk size ${size}`);
  }
});

test('jpeg_refusesTruncatedHeadersAndBadLengths', () => {
  const src = gpsJpeg();
  assert.throws(() => stripBytes(src.subarray(0, 30)), MalformedImageError);
  const bad = src.slice();
  bad[5] = 1; // JFIF length 0x0001
  bad[4] = 0;
  assert.throws(() => stripBytes(bad), MalformedImageError);
});

function pngChunk(type, data) {
  const c = new Uint8Array(12 + data.length);
  new DataView(c.buffer).setUint32(0, data.length);
  c.set(ascii(type), 4);
  c.set(data, 8);
  return c;
}

test('png_dropsTextExifTimeAndTrailerKeepsCriticalChunks', () => {
  const sig = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = pngChunk('IHDR', new Uint8Array(13).fill(1));
  const idat = pngChunk('IDAT', new Uint8Array(100).fill(7));
  const iend = pngChunk('IEND', new Uint8Array(0));
  const src = concat(sig, ihdr, pngChunk('tEXt', ascii('Author\0me')), pngChunk('eXIf', new Uint8Array(20)),
    pngChunk('tIME', new Uint8Array(7)), idat, iend, ascii('junk'));
  const { data, removed } = stripBytes(src);
  assert.deepEqual(Buffer.from(data), Buffer.from(concat(sig, ihdr, idat, iend)));
  assert.deepEqual(removed.sort(), ['date', 'exif', 'text', 'trailer']);
  assert.throws(() => stripBytes(concat(sig, ihdr, idat)), MalformedImageError);
});

test('sniff_looksAtBytesNotNames', () => {
  assert.equal(sniff(gpsJpeg().subarray(0, 8)), 'jpeg');
  assert.equal(sniff(ascii('%PDF-1.7')), null);
});
