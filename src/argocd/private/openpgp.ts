// Just enough of OpenPGP (RFC 4880) to read an armored public key the way GnuPG files it: the
// armor, its CRC-24 checksum, the packets, and the version 4 key IDs of the primary key and its
// subkeys. Reading a binary format takes bit operations.
/* eslint-disable no-bitwise */
import { createHash } from 'crypto';
import { quoted, unsafeTextProblem } from '../../private/validate';

const BEGIN = '-----BEGIN PGP PUBLIC KEY BLOCK-----';
const END = '-----END PGP PUBLIC KEY BLOCK-----';
const EXPORT_HINT = 'export it with gpg --armor --export <key ID>';

/** The primary key ID and subkey IDs of an armored OpenPGP public key, or what is wrong with it. */
export function parsePublicKey(text: string): { keyIds: string[] } | string {
  if (typeof text !== 'string') return `is not a text: give an ASCII-armored public key (${EXPORT_HINT})`;
  if (/PRIVATE KEY/.test(text)) return `contains a private key block: give only the public key (${EXPORT_HINT}, never --export-secret-keys)`;
  const unsafe = unsafeTextProblem(text);
  if (unsafe) return `${unsafe}: give the armored key as gpg writes it`;
  const lines = text.trim().split(/\r?\n/).map((l) => l.replace(/[ \t]+$/, ''));
  if (lines[0] !== BEGIN || lines[lines.length - 1] !== END) {
    return `is not one ASCII-armored public key block (${BEGIN} ... ${END}): ${EXPORT_HINT}`;
  }
  let i = 1;
  // Armor headers (Version, Comment, ...) up to the blank line.
  while (i < lines.length - 1 && lines[i] !== '') {
    if (!/^[A-Za-z][A-Za-z0-9-]*: [\x20-\x7e]*$/.test(lines[i])) return `has a malformed armor header line ${quoted(lines[i], 40)}: ${EXPORT_HINT}`;
    i++;
  }
  i++;
  const body = lines.slice(i, lines.length - 1);
  let checksum: string | undefined;
  if (body.length > 0 && body[body.length - 1].startsWith('=')) checksum = body.pop()!.slice(1);
  const base64 = body.join('');
  if (base64 === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    return `has a body that is not base64 (or a block inside the block): ${EXPORT_HINT}`;
  }
  const bytes = Buffer.from(base64, 'base64');
  if (checksum !== undefined && Buffer.from(crc24(bytes)).toString('base64') !== checksum) {
    return 'fails its armor checksum (the key was changed or cut): export it again';
  }
  const packets = readPackets(bytes);
  if (typeof packets === 'string') return `${packets}: ${EXPORT_HINT}`;
  if (packets.some((p) => p.tag === 5 || p.tag === 7)) return `contains secret key material: give only the public key (${EXPORT_HINT})`;
  const primaries = packets.filter((p) => p.tag === 6);
  if (primaries.length !== 1 || packets[0].tag !== 6) {
    return `holds ${primaries.length} primary keys: Argo CD files each key under its own ID, so give one key per GpgPublicKey (${EXPORT_HINT})`;
  }
  const ids: string[] = [];
  for (const p of packets.filter((q) => q.tag === 6 || q.tag === 14)) {
    const id = v4KeyId(p.body);
    if (id === undefined) return 'is not an OpenPGP version 4 key, the version GnuPG in the repo-server reads: export a version 4 key';
    ids.push(id);
  }
  return { keyIds: ids };
}

interface Packet { readonly tag: number; readonly body: Buffer }

/** OpenPGP packets (RFC 4880 section 4.2, old and new formats; no partial lengths in keys). */
function readPackets(bytes: Buffer): Packet[] | string {
  const packets: Packet[] = [];
  let at = 0;
  while (at < bytes.length) {
    const header = bytes[at++];
    if ((header & 0x80) === 0) return 'is not OpenPGP data';
    let tag: number;
    let length: number;
    if (header & 0x40) {
      tag = header & 0x3f;
      const first = bytes[at++];
      if (first < 192) {
        length = first;
      } else if (first < 224) {
        length = ((first - 192) << 8) + bytes[at++] + 192;
      } else if (first === 255) {
        length = bytes.readUInt32BE(at);
        at += 4;
      } else {
        return 'uses partial packet lengths, which keys never use';
      }
    } else {
      tag = (header >> 2) & 0x0f;
      const type = header & 0x03;
      if (type === 3) return 'uses an indeterminate packet length, which keys never use';
      const size = [1, 2, 4][type];
      if (at + size > bytes.length) return 'is cut off';
      length = size === 1 ? bytes[at] : size === 2 ? bytes.readUInt16BE(at) : bytes.readUInt32BE(at);
      at += size;
    }
    if (at + length > bytes.length) return 'is cut off';
    packets.push({ tag, body: bytes.subarray(at, at + length) });
    at += length;
  }
  return packets;
}

/** The key ID of a version 4 (sub)key packet body: the low 64 bits of its SHA-1 fingerprint. */
function v4KeyId(body: Buffer): string | undefined {
  if (body[0] !== 4) return undefined;
  const prefix = Buffer.from([0x99, body.length >> 8, body.length & 0xff]);
  return createHash('sha1').update(prefix).update(body).digest('hex').slice(-16).toUpperCase();
}

/** The CRC-24 of the armor checksum (RFC 4880 section 6.1), as three bytes. */
export function crc24(bytes: Buffer): number[] {
  let crc = 0xb704ce;
  for (const byte of bytes) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return [(crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff];
}
