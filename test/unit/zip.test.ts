/**
 * The built-in ZIP writer (scripts/zip.ts), read back by an independent reader: the end record, the central
 * directory and each local entry, inflated and checked against its CRC.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zipBytes } from '../../scripts/zip.js';

function readZip(zip: Buffer): { name: string; data: Buffer; mode: number }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i += 1) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(crc32(data)).toBe(crc);
    entries.push({ name, data, mode });
    at += 46 + nameLength;
  }
  return entries;
}

describe('zipBytes', () => {
  it('writes entries a reader gets back byte for byte, readable by everyone, reproducibly', () => {
    const bundle = Buffer.from('export const handler = async () => "火消し";\n'.repeat(200));
    const tiny = Buffer.from('x');
    const zip = zipBytes([
      { name: 'slack.mjs', data: bundle },
      { name: 'LICENSE.txt', data: tiny },
    ]);
    expect(readZip(zip)).toEqual([
      { name: 'slack.mjs', data: bundle, mode: 0o100644 },
      { name: 'LICENSE.txt', data: tiny, mode: 0o100644 },
    ]);
    expect(zip.length).toBeLessThan(bundle.length / 10);
    expect(zipBytes([{ name: 'slack.mjs', data: bundle }])).toEqual(
      zipBytes([{ name: 'slack.mjs', data: bundle }]),
    );
  });
});
