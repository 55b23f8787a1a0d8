// Membership changes, one server at a time (Raft thesis §4.1): the encoding of a conf-change
// entry's payload and the pure function that applies one change to a membership.
//
// Invariants:
// - A ConfState's voters and learners are disjoint, sorted ascending and free of duplicates.
// - A change either applies cleanly or is rejected as data (the leader refuses to propose it);
//   `applyConfChange` on a committed or replicated entry asserts, because the leader validated it.
// - Voter sets of two consecutive configurations differ by at most one node, so any majority of
//   the old set overlaps any majority of the new one (thesis §4.1) and no joint consensus is needed.

import { assert, unreachable } from '@cairn/errors';
import { type ConfState, type NodeId, nodeId } from './types.js';

export type ConfChangeType =
  | 'add-learner' // start replicating to a non-voting member
  | 'add-voter' // add a voter, or promote an existing learner to voter
  | 'remove'; // remove a voter or learner

export interface ConfChange {
  type: ConfChangeType;
  node: NodeId;
}

const typeCodes: Record<ConfChangeType, number> = { 'add-learner': 1, 'add-voter': 2, remove: 3 };
const ENCODING_VERSION = 1;
const ENCODED_SIZE_BYTES = 10;

/** Encodes a conf change as the payload of a `conf-change` entry: version, type, id (u64 BE). */
export function encodeConfChange(cc: ConfChange): Uint8Array {
  const out = new Uint8Array(ENCODED_SIZE_BYTES);
  const view = new DataView(out.buffer);
  view.setUint8(0, ENCODING_VERSION);
  view.setUint8(1, typeCodes[cc.type]);
  // Split into two u32 halves: node ids are safe integers (< 2^53), not bigint.
  view.setUint32(2, Math.floor(cc.node / 2 ** 32));
  view.setUint32(6, cc.node % 2 ** 32);
  return out;
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  assert(data.byteLength === ENCODED_SIZE_BYTES, `conf change payload has ${data.byteLength} bytes`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  assert(view.getUint8(0) === ENCODING_VERSION, 'unknown conf change encoding version');
  const code = view.getUint8(1);
  const type = (Object.keys(typeCodes) as ConfChangeType[]).find((t) => typeCodes[t] === code);
  assert(type !== undefined, `unknown conf change type code ${code}`);
  return { type, node: nodeId(view.getUint32(2) * 2 ** 32 + view.getUint32(6)) };
}

export function confStateEqual(a: ConfState, b: ConfState): boolean {
  return sameIds(a.voters, b.voters) && sameIds(a.learners, b.learners);
}

function sameIds(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Why a change cannot apply to `cs`, or undefined when it can. */
export function validateConfChange(cs: ConfState, cc: ConfChange): string | undefined {
  const isVoter = cs.voters.includes(cc.node);
  const isLearner = cs.learners.includes(cc.node);
  switch (cc.type) {
    case 'add-learner':
      if (isVoter) return `node ${cc.node} is a voter; demoting is not supported`;
      if (isLearner) return `node ${cc.node} is already a learner`;
      return undefined;
    case 'add-voter':
      if (isVoter) return `node ${cc.node} is already a voter`;
      return undefined;
    case 'remove':
      if (!isVoter && !isLearner) return `node ${cc.node} is not a member`;
      if (isVoter && cs.voters.length === 1) return `cannot remove the last voter ${cc.node}`;
      return undefined;
    default:
      return unreachable(cc.type);
  }
}

export function applyConfChange(cs: ConfState, cc: ConfChange): ConfState {
  const why = validateConfChange(cs, cc);
  assert(why === undefined, `invalid conf change in the log: ${why}`);
  const without = (ids: NodeId[]) => ids.filter((id) => id !== cc.node);
  const sorted = (ids: NodeId[]) => [...ids].sort((a, b) => a - b);
  switch (cc.type) {
    case 'add-learner':
      return { voters: [...cs.voters], learners: sorted([...cs.learners, cc.node]) };
    case 'add-voter':
      return { voters: sorted([...cs.voters, cc.node]), learners: without(cs.learners) };
    case 'remove':
      return { voters: without(cs.voters), learners: without(cs.learners) };
    default:
      return unreachable(cc.type);
  }
}

export function formatConfChange(cc: ConfChange): string {
  return `${cc.type} ${cc.node}`;
}

export function formatConfState(cs: ConfState): string {
  return `voters=(${cs.voters.join(',')}) learners=(${cs.learners.join(',')})`;
}
