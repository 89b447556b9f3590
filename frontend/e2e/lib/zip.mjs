// A tiny ZIP reader for checking downloads (.xlsx, .docx are ZIP files):
// reads the central directory and inflates entries with node:zlib, so the
// scenarios need no unzip binary and no extra package. Stored (0) and
// deflated (8) entries only, no ZIP64 — what Go's archive/zip writes for a
// workbook.
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of a ZIP file: name → () => Buffer of its content. */
export function readZip(buf) {
  let eocd = -1;
  // the end record is the last 22 bytes, unless a comment (≤ 65535 bytes) follows it
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP file: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== CENTRAL) throw new Error(`bad central directory entry at ${p}`);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (buf.readUInt32LE(local) !== LOCAL) throw new Error(`bad local header for ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    entries.set(name, () => {
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${name}: compression method ${method} not supported`);
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** One entry as UTF-8 text, or null when the ZIP has no such entry. */
export function zipText(entries, name) {
  const get = entries.get(name);
  return get ? get().toString('utf8') : null;
}
