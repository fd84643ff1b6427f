/** Zips for the reader's tests: in memory, and rewritten in the zip64 form large archives take. */
import type { ZipSource } from '../../../src/store/formats/zip.ts';

export function memorySource(bytes: Uint8Array): ZipSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/**
 * The same archive in zip64 form (APPNOTE 4.3.14–4.3.16, 4.5.3): every size and offset of the
 * table of contents saturated and carried in a zip64 extra field, and the end record pointing to
 * a zip64 end record through its locator. Takes what writeZip writes (no comments, no extras).
 */
export function toZip64(zip: Buffer): Buffer {
  const end = zip.length - 22;
  if (zip.readUInt32LE(end) !== 0x06054b50) throw new Error('toZip64: not writeZip output');
  const count = zip.readUInt16LE(end + 10);
  const directoryAt = zip.readUInt32LE(end + 16);
  const entries: Buffer[] = [];
  let at = directoryAt;
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const header = Buffer.from(zip.subarray(at, at + 46));
    const name = zip.subarray(at + 46, at + 46 + nameLength);
    const extra = Buffer.alloc(4 + 24);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(24, 2);
    extra.writeBigUInt64LE(BigInt(header.readUInt32LE(24)), 4); // uncompressed
    extra.writeBigUInt64LE(BigInt(header.readUInt32LE(20)), 12); // compressed
    extra.writeBigUInt64LE(BigInt(header.readUInt32LE(42)), 20); // local header
    header.writeUInt16LE(45, 6); // version needed: zip64
    header.writeUInt32LE(0xffffffff, 20);
    header.writeUInt32LE(0xffffffff, 24);
    header.writeUInt32LE(0xffffffff, 42);
    header.writeUInt16LE(extra.length, 30);
    entries.push(header, name, extra);
    at += 46 + nameLength;
  }
  const directory = Buffer.concat(entries);
  const zip64EndAt = directoryAt + directory.length;
  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4); // the record's size after this field
  zip64End.writeUInt16LE(45, 12);
  zip64End.writeUInt16LE(45, 14);
  zip64End.writeBigUInt64LE(BigInt(count), 24);
  zip64End.writeBigUInt64LE(BigInt(count), 32);
  zip64End.writeBigUInt64LE(BigInt(directory.length), 40);
  zip64End.writeBigUInt64LE(BigInt(directoryAt), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(zip64EndAt), 8);
  locator.writeUInt32LE(1, 16);
  const endRecord = Buffer.alloc(22);
  endRecord.writeUInt32LE(0x06054b50, 0);
  endRecord.writeUInt16LE(0xffff, 8);
  endRecord.writeUInt16LE(0xffff, 10);
  endRecord.writeUInt32LE(0xffffffff, 12);
  endRecord.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([zip.subarray(0, directoryAt), directory, zip64End, locator, endRecord]);
}
