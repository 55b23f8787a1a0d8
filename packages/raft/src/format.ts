// One-line text forms of messages and entries, for logs and the transcript tests. Stable output:
// transcripts compare it byte for byte, so change it only together with testdata/*.txt.

import { decodeConfChange, formatConfChange } from './conf.js';
import type { Entry, Message } from './types.js';

/** Printable ASCII payloads print as a quoted string, anything else as hex. */
function formatData(data: Uint8Array): string {
  let printable = true;
  for (const b of data) if (b < 0x20 || b > 0x7e || b === 0x22) printable = false;
  if (printable) return `"${String.fromCharCode(...data)}"`;
  return `0x${Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function formatEntry(e: Entry): string {
  if (e.type === 'conf-change') return `${e.term}/${e.index} ConfChange ${formatConfChange(decodeConfChange(e.data))}`;
  return e.data.byteLength === 0 ? `${e.term}/${e.index} EntryNormal ""` : `${e.term}/${e.index} EntryNormal ${formatData(e.data)}`;
}

export function formatEntries(ents: readonly Entry[]): string {
  return `[${ents.map(formatEntry).join(', ')}]`;
}

export function formatMessage(m: Message): string {
  let s = `${m.from}->${m.to} ${m.type} Term:${m.term} Log:${m.logTerm}/${m.index}`;
  if (m.reject) s += ` Rejected (Hint: ${m.rejectHint})`;
  if (m.commit !== 0) s += ` Commit:${m.commit}`;
  if (m.entries.length > 0) s += ` Entries:${formatEntries(m.entries)}`;
  if (m.snapshot !== null) {
    const { index, term, confState } = m.snapshot.meta;
    s += ` Snapshot: Index:${index} Term:${term} ConfState:Voters:[${confState.voters.join(' ')}] Learners:[${confState.learners.join(' ')}]`;
  }
  if (m.context !== '') s += ` Context:${m.context}`;
  if (m.seq !== 0) s += ` Seq:${m.seq}`;
  return s;
}
