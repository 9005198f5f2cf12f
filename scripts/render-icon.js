// Renders media/icon.png (128×128): a few "lines of code" whose characters
// are colored blue–white–red like the heatmap, on a dark rounded square.
// Plain Node (zlib) so the icon can be remade without image tools:
//   node scripts/render-icon.js
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIZE = 128;
const px = Buffer.alloc(SIZE * SIZE * 4);

function set(x, y, [r, g, b], a = 255) {
  const i = (y * SIZE + x) * 4;
  px[i] = r;
  px[i + 1] = g;
  px[i + 2] = b;
  px[i + 3] = a;
}

/** Diverging scale: -1 blue, 0 near-white, +1 red (the heatmap's colors). */
function diverging(v) {
  const blue = [33, 102, 172];
  const red = [178, 24, 43];
  const white = [247, 247, 247];
  const end = v < 0 ? blue : red;
  const t = Math.min(1, Math.abs(v));
  return white.map((w, k) => Math.round(w + (end[k] - w) * t));
}

// Background: a dark rounded square.
const radius = 22;
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const dx = Math.max(0, radius - x, x - (SIZE - 1 - radius));
    const dy = Math.max(0, radius - y, y - (SIZE - 1 - radius));
    if (dx * dx + dy * dy <= radius * radius) set(x, y, [30, 34, 42]);
  }
}

// Lines of code: indentation, length, and a cell whose value swings along each line.
const lines = [
  [0, 9],
  [1, 7],
  [2, 8],
  [2, 5],
  [1, 3],
  [0, 6],
  [1, 8],
  [0, 2],
];
const cell = 10;
const gap = 2;
const left = 14;
const top = 14;
lines.forEach(([indent, length], row) => {
  for (let c = 0; c < length; c++) {
    const col = indent + c;
    const v = Math.sin(row * 0.9 + c * 0.55) * (0.35 + 0.65 * (c / Math.max(1, length - 1)));
    const color = diverging(v);
    for (let y = 0; y < cell; y++) for (let x = 0; x < cell; x++) set(left + col * (cell + gap) + x, top + row * (cell + gap) + y, color);
  }
});

// PNG: signature, IHDR, one IDAT (filter byte 0 per row), IEND.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) px.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(__dirname, '..', 'media', 'icon.png');
fs.writeFileSync(out, png);
console.log(`${path.relative(process.cwd(), out)}: ${png.length} bytes`);
