/**
 * The 备注 column as the roster export writes it: the seat's status and how
 * it began come first (“资格终止 2024-02-01 死亡；2022-03-10补选；…”), then
 * the notes. Read back, those parts are the seat's status, end and start
 * again, not notes; otherwise every export and re-import would repeat them
 * in the note once more.
 */
import type { SeatStatus, StartMethod } from '../../../../shared/dictionaries.js';
import { parseEndReason } from './values.js';

export interface Remarks {
  note: string | null;
  status?: SeatStatus;
  endDate?: string;
  endReason?: string;
  startMethod?: StartMethod;
  startDate?: string;
}

const ENDED = /^资格终止\s*(\d{4}-\d{2}-\d{2})?\s*(.*)$/;
const BY_ELECTION = /^(\d{4}-\d{2}-\d{2})?\s*补选$/;

export function readRemarks(note: string): Remarks {
  const out: Remarks = { note: null };
  const rest: string[] = [];
  for (const part of note.split(/[；;]/).map((p) => p.trim()).filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = ENDED.exec(part)) && !out.status) {
      out.status = 'ended';
      if (m[1]) out.endDate = m[1];
      const reason = m[2] ? parseEndReason(m[2]) : null;
      if (reason?.ok && reason.value) out.endReason = reason.value;
    } else if (part === '暂停执行代表职务' && !out.status) {
      out.status = 'suspended';
    } else if ((m = BY_ELECTION.exec(part)) && !out.startMethod) {
      out.startMethod = 'by_election';
      if (m[1]) out.startDate = m[1];
    } else {
      rest.push(part);
    }
  }
  out.note = rest.length ? rest.join('；') : null;
  return out;
}
