/**
 * Reads a zip archive piece by piece: X's data archive can hold gigabytes of media, and only its
 * table of contents and the few small files Rapport reads are ever loaded. Stored and deflated
 * entries, zip64, checksums checked. Web APIs only (DecompressionStream): runs in extension pages.
 */

export class ZipError extends Error {}

/** Random access to the archive's bytes: a File in the browser, a buffer in tests. */
export interface ZipSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function blobSource(blob: Blob): ZipSource {
  return {
    size: blob.size,
    read: async (offset, length) =>
      new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated (the only two read). */
  method: number;
  encrypted: boolean;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const END = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const SATURATED32 = 0xffffffff;
/** A table of contents beyond this is not an archive anyone exported (X's has a few thousand entries). */
const MAX_DIRECTORY = 64 * 1024 * 1024;

const viewOf = (bytes: Uint8Array) =>
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A little-endian 64-bit size, exact up to 2^53. */
function u64(view: DataView, at: number): number {
  const low = view.getUint32(at, true);
  const high = view.getUint32(at + 4, true);
  if (high >= 0x200000) throw new ZipError('it names a size larger than any file can be');
  return high * 2 ** 32 + low;
}

/** Where the end-of-archive record is in the archive's last bytes (it may carry a comment). */
function findEnd(tail: Uint8Array): number {
  const view = viewOf(tail);
  for (let at = tail.length - 22; at >= 0; at--) {
    if (view.getUint32(at, true) === END && at + 22 + view.getUint16(at + 20, true) === tail.length)
      return at;
  }
  return -1;
}

/** Every entry of the archive, from its table of contents (nothing else is read). */
export async function zipEntries(source: ZipSource): Promise<ZipEntry[]> {
  // The end record (22 bytes and a comment of up to 65,535), and the zip64 locator before it.
  const tailLength = Math.min(source.size, 22 + 0xffff + 20);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  const end = findEnd(tail);
  if (end < 0)
    throw new ZipError(
      'it is not a zip archive, or one cut short (its table of contents, at the end, is missing)',
    );
  const view = viewOf(tail);
  let count = view.getUint16(end + 10, true);
  let directorySize = view.getUint32(end + 12, true);
  let directoryAt = view.getUint32(end + 16, true);
  if (count === 0xffff || directorySize === SATURATED32 || directoryAt === SATURATED32) {
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR)
      throw new ZipError('its zip64 table of contents is missing');
    const recordAt = u64(view, locator + 8);
    if (recordAt + 56 > source.size) throw new ZipError('it is cut short');
    const record = viewOf(await source.read(recordAt, 56));
    if (record.getUint32(0, true) !== ZIP64_END)
      throw new ZipError('its zip64 table of contents is damaged');
    count = u64(record, 32);
    directorySize = u64(record, 40);
    directoryAt = u64(record, 48);
  }
  if (directorySize > MAX_DIRECTORY) throw new ZipError('its table of contents is too large');
  if (directoryAt + directorySize > source.size)
    throw new ZipError('it is cut short (its table of contents points past its end)');
  const directory = await source.read(directoryAt, directorySize);
  const dir = viewOf(directory);
  const names = new TextDecoder();
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || dir.getUint32(at, true) !== CENTRAL)
      throw new ZipError('its table of contents is damaged');
    const flags = dir.getUint16(at + 8, true);
    const nameLength = dir.getUint16(at + 28, true);
    const extraLength = dir.getUint16(at + 30, true);
    const commentLength = dir.getUint16(at + 32, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > directory.length) throw new ZipError('its table of contents is damaged');
    const entry: ZipEntry = {
      name: names.decode(directory.subarray(at + 46, at + 46 + nameLength)),
      method: dir.getUint16(at + 10, true),
      encrypted: (flags & 1) !== 0,
      crc: dir.getUint32(at + 16, true),
      compressedSize: dir.getUint32(at + 20, true),
      size: dir.getUint32(at + 24, true),
      localOffset: dir.getUint32(at + 42, true),
    };
    // The zip64 extra field holds the 64-bit values of the saturated fields, in this order.
    let field = at + 46 + nameLength;
    const fieldsEnd = field + extraLength;
    while (field + 4 <= fieldsEnd) {
      const id = dir.getUint16(field, true);
      const length = dir.getUint16(field + 2, true);
      const bodyEnd = field + 4 + length;
      if (bodyEnd > fieldsEnd) break;
      if (id === 0x0001) {
        let value = field + 4;
        for (const key of ['size', 'compressedSize', 'localOffset'] as const) {
          if (entry[key] !== SATURATED32) continue;
          if (value + 8 > bodyEnd) throw new ZipError('its table of contents is damaged');
          entry[key] = u64(dir, value);
          value += 8;
        }
      }
      field = bodyEnd;
    }
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** One entry's bytes, inflated and checked against its checksum; at most `limit` bytes. */
export async function zipEntryBytes(
  source: ZipSource,
  entry: ZipEntry,
  limit: number,
): Promise<Uint8Array> {
  if (entry.encrypted) throw new ZipError(`${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new ZipError(`${entry.name} is compressed in a way Rapport cannot read`);
  if (entry.size > limit)
    throw new ZipError(`${entry.name} is larger than ${Math.round(limit / 2 ** 20)} MB`);
  if (entry.localOffset + 30 > source.size) throw new ZipError(`it is cut short at ${entry.name}`);
  const local = viewOf(await source.read(entry.localOffset, 30));
  if (local.getUint32(0, true) !== LOCAL) throw new ZipError(`it is damaged at ${entry.name}`);
  const dataAt = entry.localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
  if (dataAt + entry.compressedSize > source.size)
    throw new ZipError(`it is cut short inside ${entry.name}`);
  const raw = await source.read(dataAt, entry.compressedSize);
  const data = entry.method === 0 ? raw : await inflateRaw(raw, entry);
  if (data.length !== entry.size || crc32(data) !== entry.crc)
    throw new ZipError(`${entry.name} is damaged (its checksum does not match)`);
  return data;
}

/** Inflated into a buffer of the declared size: an entry that inflates beyond it is refused. */
async function inflateRaw(raw: Uint8Array, entry: ZipEntry): Promise<Uint8Array> {
  const out = new Uint8Array(entry.size);
  let length = 0;
  const reader = new Blob([raw as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'))
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (length + value.length > out.length)
        throw new ZipError(`${entry.name} is damaged (it inflates beyond its size)`);
      out.set(value, length);
      length += value.length;
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    if (error instanceof ZipError) throw error;
    throw new ZipError(`${entry.name} is damaged (its compressed data does not inflate)`);
  }
  return out.subarray(0, length);
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (the zip one, polynomial 0xEDB88320). */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++)
    crc = (table[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
