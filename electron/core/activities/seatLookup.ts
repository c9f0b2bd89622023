import { LEVEL_LABELS, type Level } from '../../../shared/dictionaries.js';
import type { CoreContext } from '../context.js';

/**
 * Finds seats from what a sign-in sheet or a pasted list says: a certificate
 * number, an ID number or a name. A name two deputies share is never guessed:
 * the clerk is asked for the certificate or ID number.
 */

export interface LookupSeat {
  id: string;
  name: string;
  level: Level;
  township: string | null;
  certificateNo: string | null;
  idNumber: string | null;
  status: string;
  startDate: string | null;
  endDate: string | null;
}

export type Lookup = { ok: true; seat: LookupSeat } | { ok: false; message: string };

export class SeatLookup {
  private readonly byName = new Map<string, LookupSeat[]>();
  private readonly byCertificate = new Map<string, LookupSeat[]>();
  private readonly byIdNumber = new Map<string, LookupSeat[]>();

  constructor(ctx: CoreContext) {
    const rows = ctx.db
      .prepare(
        `SELECT s.id, p.name, s.level, s.township, s.certificate_no, p.id_number, s.status, s.start_date, s.end_date
           FROM seats s JOIN persons p ON p.id = s.person_id
          WHERE s.deleted_at IS NULL AND p.deleted_at IS NULL`,
      )
      .raw()
      .all() as [string, string, Level, string | null, string | null, string | null, string, string | null, string | null][];
    for (const [id, name, level, township, certificateNo, idNumber, status, startDate, endDate] of rows) {
      const seat: LookupSeat = { id, name, level, township, certificateNo, idNumber, status, startDate, endDate };
      push(this.byName, normaliseName(name), seat);
      if (certificateNo) push(this.byCertificate, certificateNo.trim().toUpperCase(), seat);
      if (idNumber) push(this.byIdNumber, idNumber.toUpperCase(), seat);
    }
  }

  /**
   * What the row says → one seat. `date` keeps seats in office that day;
   * `level` (the organising congress) prefers that level's seat.
   */
  find(input: { name?: string | null; certificateNo?: string | null; idNumber?: string | null }, context: { date?: string | null; level?: Level | null }): Lookup {
    const certificate = input.certificateNo?.trim().toUpperCase();
    const idNumber = input.idNumber?.replace(/\s/g, '').toUpperCase();
    const name = input.name ? normaliseName(input.name) : '';
    let candidates: LookupSeat[];
    let by: string;
    if (certificate) {
      candidates = this.byCertificate.get(certificate) ?? [];
      by = `代表证号 ${certificate}`;
      if (candidates.length === 0) return { ok: false, message: `名册中没有代表证号为 ${certificate} 的代表，请核对。` };
    } else if (idNumber) {
      candidates = this.byIdNumber.get(idNumber) ?? [];
      by = '公民身份号码';
      if (candidates.length === 0) return { ok: false, message: '名册中没有此公民身份号码的代表，请核对。' };
    } else if (name) {
      candidates = this.byName.get(name) ?? [];
      by = `姓名“${name}”`;
      if (candidates.length === 0) return { ok: false, message: `名册中没有名为“${name}”的代表，请核对姓名，或填写代表证号。` };
    } else {
      return { ok: false, message: '没有姓名、代表证号或公民身份号码。' };
    }
    if (name && (certificate || idNumber) && candidates.every((c) => normaliseName(c.name) !== name)) {
      return { ok: false, message: `${by}对应的代表是“${candidates[0]!.name}”，与填写的姓名“${name}”不一致，请核对。` };
    }
    const date = context.date ?? null;
    let inOffice = date ? candidates.filter((c) => inOfficeOn(c, date)) : candidates.filter((c) => c.status !== 'ended');
    if (inOffice.length === 0) {
      return { ok: false, message: `${by}的代表${date ? `在 ${date} ` : ''}不在任（资格已终止或尚未当选），请核对。` };
    }
    if (inOffice.length > 1 && context.level) {
      const atLevel = inOffice.filter((c) => c.level === context.level);
      if (atLevel.length > 0) inOffice = atLevel;
    }
    if (inOffice.length > 1) {
      const where = inOffice
        .slice(0, 5)
        .map((c) => `${c.township ?? ''}${LEVEL_LABELS[c.level]}代表${c.certificateNo ? `（代表证号 ${c.certificateNo}）` : ''}`)
        .join('；');
      const ask = certificate || idNumber ? '请核对。' : '请在“代表证号”或“公民身份号码”栏填写以区分。';
      return { ok: false, message: `${by}对应 ${inOffice.length} 个在任席位：${where}。${ask}` };
    }
    return { ok: true, seat: inOffice[0]! };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function normaliseName(name: string): string {
  return name.replace(/[\s\u3000·•]/g, (c) => (c === '·' || c === '•' ? '·' : ''));
}

function inOfficeOn(seat: LookupSeat, date: string): boolean {
  if (seat.startDate && seat.startDate > date) return false;
  if (seat.endDate && seat.endDate < date) return false;
  if (seat.status === 'ended' && !seat.endDate) return false;
  return true;
}

/** Splits a pasted list: lines, commas, 、, semicolons, tabs or spaces. */
export function splitPasted(text: string): string[] {
  return text
    .split(/[\n\r,，、;；\t ]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** An 18-character ID number (GB 11643) rather than a name or certificate number. */
export function looksLikeIdNumber(token: string): boolean {
  return /^\d{17}[\dXx]$/.test(token);
}

/** Certificate numbers carry digits; names don't. */
export function looksLikeCertificate(token: string): boolean {
  return /\d/.test(token);
}
