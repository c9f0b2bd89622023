import type { z } from 'zod';
import type { SeatChange, byElectionInput } from '../../../shared/contract/index.js';
import {
  LEVEL_LABELS,
  SEAT_EVENT_LABELS,
  SEAT_STATUS_LABELS,
  type SeatEventKind,
  type SeatStatus,
} from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import { assertOrganisations } from './organisations.js';
import type { SeatDbRow } from './records.js';
import { liveSeatById, personForNewSeat, reconcileIdentity, seatColumns } from './service.js';

/**
 * A seat's life after it is registered (Deputies Law, Election Law): 补选,
 * 暂停执行代表职务 and 恢复, 代表资格终止 (辞职 among its reasons). Each action
 * writes one seat_events row and changes the seat in the same transaction.
 */
export interface EventInput {
  seatId: string;
  date: string;
  documentNo?: string | null;
  reason?: string | null;
  note?: string | null;
}

const RESIGNATION = '辞职被接受';

function personName(ctx: CoreContext, personId: string): string {
  return ctx.db.prepare('SELECT name FROM persons WHERE id = ?').pluck().get(personId) as string;
}

function seatTitle(seat: Pick<SeatDbRow, 'term' | 'level'>): string {
  return `${seat.term}${LEVEL_LABELS[seat.level]}人大代表`;
}

/** No change may be dated before the seat began, or before the last change already recorded. */
function assertDate(ctx: CoreContext, seat: SeatDbRow, date: string): void {
  if (seat.start_date && date < seat.start_date) {
    throw new AppError('VALIDATION', `日期 ${date} 早于该席位的当选日期 ${seat.start_date}，请核对。`);
  }
  const last = ctx.db
    .prepare('SELECT kind, date FROM seat_events WHERE seat_id = ? AND deleted_at IS NULL ORDER BY date DESC, created_at DESC LIMIT 1')
    .get(seat.id) as { kind: SeatEventKind; date: string } | undefined;
  if (last && date < last.date) {
    throw new AppError(
      'VALIDATION',
      `日期 ${date} 早于该席位上一次变动（${SEAT_EVENT_LABELS[last.kind]}，${last.date}），请核对。`,
    );
  }
}

function change(
  ctx: CoreContext,
  input: EventInput,
  rule: { from: SeatStatus[]; refuse: (seat: SeatDbRow) => string; to: SeatStatus; kind: SeatEventKind; patch?: Record<string, unknown> },
): SeatChange {
  return ctx.repo.transaction(() => {
    const seat = liveSeatById(ctx, input.seatId);
    if (!rule.from.includes(seat.status)) throw new AppError('CONFLICT', rule.refuse(seat));
    assertDate(ctx, seat, input.date);
    const name = personName(ctx, seat.person_id);
    const eventId = ctx.repo.insert(
      'seat_events',
      {
        seat_id: seat.id,
        kind: rule.kind,
        date: input.date,
        document_no: input.documentNo ?? null,
        reason: input.reason ?? null,
        note: input.note ?? null,
      },
      { summary: `${SEAT_EVENT_LABELS[rule.kind]}：${name}，${seatTitle(seat)}，${input.date}` },
    );
    ctx.repo.update('seats', seat.id, { status: rule.to, ...rule.patch }, {
      summary: `${SEAT_EVENT_LABELS[rule.kind]}：${name}，${seatTitle(seat)}`,
    });
    return { seatId: seat.id, eventId, status: rule.to };
  });
}

const statusText = (seat: SeatDbRow) =>
  seat.status === 'ended'
    ? `该代表资格已于 ${seat.end_date ?? '（日期未登记）'} 终止${seat.end_reason ? `（${seat.end_reason}）` : ''}`
    : `该代表目前为“${SEAT_STATUS_LABELS[seat.status]}”`;

export function suspendSeat(ctx: CoreContext, input: EventInput & { reason: string }): SeatChange {
  return change(ctx, input, {
    from: ['current'],
    refuse: (seat) => `${statusText(seat)}，只有在任的代表才能暂停执行代表职务。`,
    to: 'suspended',
    kind: 'suspended',
  });
}

export function restoreSeat(ctx: CoreContext, input: EventInput): SeatChange {
  return change(ctx, input, {
    from: ['suspended'],
    refuse: (seat) => `${statusText(seat)}，只有暂停执行代表职务的代表才能恢复。`,
    to: 'current',
    kind: 'restored',
  });
}

/** 代表资格终止; with reason 辞职被接受 the event is recorded as a resignation (辞职). */
export function endSeat(ctx: CoreContext, input: EventInput & { reason: string }): SeatChange {
  return change(ctx, input, {
    from: ['current', 'suspended'],
    refuse: (seat) => `${statusText(seat)}，不能再次终止。`,
    to: 'ended',
    kind: input.reason === RESIGNATION ? 'resigned' : 'ended',
    patch: { end_date: input.date, end_reason: input.reason },
  });
}

export function resignSeat(ctx: CoreContext, input: EventInput): SeatChange {
  return endSeat(ctx, { ...input, reason: RESIGNATION });
}

export type ByElectionInput = z.output<typeof byElectionInput>;

/**
 * 补选: a new seat that starts on the by-election date, for a registered
 * person or a new one. Refused when the person already holds a seat in
 * office at that level and term.
 */
export function byElection(ctx: CoreContext, input: ByElectionInput): { personId: string; seatId: string; eventId: string } {
  const person = input.person ? reconcileIdentity(input.person) : null;
  const seat = { ...input.seat, startDate: input.date, startMethod: 'by_election' as const };
  return ctx.repo.transaction(() => {
    assertOrganisations(ctx, seat);
    let personId: string;
    if (input.personId) {
      const found = ctx.db.prepare('SELECT id FROM persons WHERE id = ? AND deleted_at IS NULL').get(input.personId);
      if (!found) throw new AppError('NOT_FOUND', '找不到该人员，可能已被删除。请刷新名册后重试。');
      personId = input.personId;
    } else {
      personId = personForNewSeat(ctx, person!);
    }
    const name = personName(ctx, personId);
    const live = ctx.db
      .prepare(
        `SELECT status FROM seats WHERE person_id = ? AND level = ? AND term = ? AND deleted_at IS NULL AND status IN ('current', 'suspended')`,
      )
      .get(personId, seat.level, seat.term) as { status: SeatStatus } | undefined;
    if (live) {
      throw new AppError(
        'CONFLICT',
        `${name}已是${seatTitle(seat)}（${SEAT_STATUS_LABELS[live.status]}），不能再补选为同一届同一层级的代表。`,
      );
    }
    const seatId = ctx.repo.insert(
      'seats',
      { ...seatColumns(seat), person_id: personId, status: 'current', is_reelected: seat.isReelected ?? false },
      { summary: `补选代表：${name}，${seatTitle(seat)}，${input.date}` },
    );
    const eventId = ctx.repo.insert(
      'seat_events',
      { seat_id: seatId, kind: 'by_election', date: input.date, document_no: input.documentNo ?? null, reason: null, note: input.note ?? null },
      { summary: `补选当选：${name}，${seatTitle(seat)}，${input.date}` },
    );
    return { personId, seatId, eventId };
  });
}
