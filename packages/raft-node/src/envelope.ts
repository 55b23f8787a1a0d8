// What RaftNode puts inside the core's opaque payloads: a one-byte tag on every normal entry, so
// the node can replicate its own records (member addresses) through the log next to the
// application's commands, and a framing of snapshot data that carries the address book with the
// application's snapshot. The core's conf-change payload is a fixed 10 bytes with no room for an
// address, so an address record is proposed just before the conf change that adds the member.
//
// Layouts (all integers big-endian):
//   normal entry: [tag u8][body…]        tag 0 = application command, tag 1 = address record
//   address record body: JSON {"id": n, "address": "host:port"}
//   snapshot data: [u32 length of JSON][JSON {"addresses": [[id, address], …]}][application bytes]
// An empty normal entry (a new leader's) has no tag and is not the application's.

import { Errno, FsError, ErrorCode } from '@cairn/errors';

export const enum Tag {
  Command = 0,
  Address = 1,
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

export function commandPayload(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + data.byteLength);
  out[0] = Tag.Command;
  out.set(data, 1);
  return out;
}

export function addressPayload(id: number, address: string): Uint8Array {
  const body = utf8.encode(JSON.stringify({ id, address }));
  const out = new Uint8Array(1 + body.byteLength);
  out[0] = Tag.Address;
  out.set(body, 1);
  return out;
}

export type Payload =
  | { tag: 'empty' }
  | { tag: 'command'; data: Uint8Array }
  | { tag: 'address'; id: number; address: string };

/**
 * Decodes a committed normal entry's payload. Committed entries were written by leaders running
 * this code, so an unknown tag means the log is corrupt or from a newer version: a fatal error.
 */
export function decodePayload(index: number, data: Uint8Array): Payload {
  if (data.byteLength === 0) return { tag: 'empty' };
  switch (data[0]) {
    case Tag.Command:
      return { tag: 'command', data: data.subarray(1) };
    case Tag.Address: {
      const v = JSON.parse(utf8d.decode(data.subarray(1))) as { id?: unknown; address?: unknown };
      if (typeof v.id !== 'number' || !Number.isSafeInteger(v.id) || v.id <= 0 || typeof v.address !== 'string') {
        throw corrupt(`address record at ${index} is malformed`);
      }
      return { tag: 'address', id: v.id, address: v.address };
    }
    default:
      throw corrupt(`entry ${index} has unknown tag ${data[0]}`);
  }
}

export function encodeSnapshotData(addresses: ReadonlyMap<number, string>, app: Uint8Array): Uint8Array {
  const head = utf8.encode(JSON.stringify({ addresses: [...addresses] }));
  const out = new Uint8Array(4 + head.byteLength + app.byteLength);
  new DataView(out.buffer).setUint32(0, head.byteLength);
  out.set(head, 4);
  out.set(app, 4 + head.byteLength);
  return out;
}

export function decodeSnapshotData(data: Uint8Array): { addresses: Map<number, string>; app: Uint8Array } {
  if (data.byteLength === 0) return { addresses: new Map(), app: data };
  if (data.byteLength < 4) throw corrupt('snapshot data is truncated');
  const length = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0);
  if (4 + length > data.byteLength) throw corrupt('snapshot header is truncated');
  const head = JSON.parse(utf8d.decode(data.subarray(4, 4 + length))) as { addresses?: unknown };
  const addresses = new Map<number, string>();
  if (!Array.isArray(head.addresses)) throw corrupt('snapshot address book is malformed');
  for (const pair of head.addresses as unknown[]) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'number' || typeof pair[1] !== 'string') throw corrupt('snapshot address is malformed');
    addresses.set(pair[0], pair[1]);
  }
  return { addresses, app: data.subarray(4 + length) };
}

function corrupt(message: string): FsError {
  return new FsError(Errno.EIO, message, { code: ErrorCode.Corrupt });
}
