// A PNG's text chunks (tEXt): the screenshot keeps the figures it was taken from, so a test can tell
// when the picture no longer shows what the code makes. Chunk layout per the PNG specification (W3C,
// "Portable Network Graphics (PNG) Specification", 5.3 and 11.3.4.3).

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// Hand-written: zlib.crc32 exists only from Node 20.15, and package.json allows every Node 20.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface Chunk {
  readonly type: string;
  readonly data: Buffer;
  /** Offset of the chunk's length field. */
  readonly at: number;
}

function chunks(png: Buffer): Chunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  const out: Chunk[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (png.readUInt32BE(at + 8 + length) !== crc32(png.subarray(at + 4, at + 8 + length)))
      throw new Error(`PNG chunk ${type} at ${at} has a bad CRC`);
    out.push({ type, data, at });
    at += 12 + length;
  }
  return out;
}

/** Width and height from the IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const ihdr = chunks(png).find((c) => c.type === 'IHDR');
  if (!ihdr) throw new Error('PNG without IHDR');
  return { width: ihdr.data.readUInt32BE(0), height: ihdr.data.readUInt32BE(4) };
}

/** The text of the tEXt chunk with this keyword, if any. */
export function readPngText(png: Buffer, keyword: string): string | undefined {
  for (const c of chunks(png)) {
    if (c.type !== 'tEXt') continue;
    const nul = c.data.indexOf(0);
    if (c.data.toString('latin1', 0, nul) === keyword) return c.data.toString('latin1', nul + 1);
  }
  return undefined;
}

/** The PNG with one tEXt chunk for `keyword` (replacing any), before IEND. Text must be Latin-1. */
export function withPngText(png: Buffer, keyword: string, text: string): Buffer {
  if (/[^\x20-\x7e]/.test(keyword) || keyword.length > 79) throw new Error(`bad tEXt keyword ${keyword}`);
  if ([...text].some((c) => c.charCodeAt(0) > 0xff)) throw new Error('tEXt is Latin-1 only');
  const all = chunks(png);
  const keep = all.filter(
    (c) =>
      !(c.type === 'tEXt' && c.data.toString('latin1', 0, c.data.indexOf(0)) === keyword) &&
      c.type !== 'IEND',
  );
  const iend = all.find((c) => c.type === 'IEND');
  if (!iend) throw new Error('PNG without IEND');
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write('tEXt', 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  const raw = (c: Chunk) => png.subarray(c.at, c.at + 12 + c.data.length);
  return Buffer.concat([SIGNATURE, ...keep.map(raw), head, data, crc, raw(iend)]);
}
