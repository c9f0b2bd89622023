import type { DuplicateGroup, DuplicatePerson, MergeResult } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { maskIdNumber, maskPhone } from '../../../shared/idcard.js';
import type { CoreContext } from '../context.js';
import type { Db } from '../db/connection.js';
import { officeNames } from './labels.js';
import { syncedTables } from './ownership.js';

/**
 * 重复人员: two townships registered the same person (same ID number) before
 * either knew of the other. The county sees them side by side and merges:
 * one person is kept, everything that pointed at the other is moved to it,
 * and the other is tombstoned with merged_into set. All through the
 * repository, so the merge travels to every office as ordinary changes.
 */
interface PersonRow {
  id: string;
  name: string;
  gender: string | null;
  birth_date: string | null;
  id_number: string;
  phone: string | null;
  work_unit: string | null;
  address: string | null;
  origin_office: string;
  created_at: string;
}

export function findDuplicates(ctx: CoreContext): DuplicateGroup[] {
  const rows = ctx.db
    .prepare(
      `SELECT * FROM persons WHERE deleted_at IS NULL AND id_number IN (
         SELECT id_number FROM persons WHERE deleted_at IS NULL AND id_number IS NOT NULL
         GROUP BY id_number HAVING count(*) > 1)
       ORDER BY id_number, created_at, id`,
    )
    .all() as PersonRow[];
  const names = officeNames(ctx.db);
  const seats = ctx.db.prepare(
    'SELECT id, level, term, township, status FROM seats WHERE person_id = ? AND deleted_at IS NULL ORDER BY term, level',
  );
  const groups = new Map<string, DuplicatePerson[]>();
  for (const p of rows) {
    const list = groups.get(p.id_number) ?? [];
    list.push({
      id: p.id,
      name: p.name,
      gender: p.gender,
      birthDate: p.birth_date,
      idNumberMasked: maskIdNumber(p.id_number),
      phoneMasked: maskPhone(p.phone),
      workUnit: p.work_unit,
      address: p.address,
      originOffice: p.origin_office,
      originName: names.get(p.origin_office) ?? p.origin_office,
      createdAt: p.created_at,
      seats: seats.all(p.id) as DuplicatePerson['seats'],
    });
    groups.set(p.id_number, list);
  }
  return [...groups.values()].map((persons) => ({ idNumberMasked: persons[0]!.idNumberMasked, persons }));
}

/** Columns of synced tables that reference `parent` (from the schema's foreign keys). */
function referencesTo(db: Db, parent: string): { table: string; column: string }[] {
  const out: { table: string; column: string }[] = [];
  for (const table of syncedTables(db)) {
    for (const fk of db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string; from: string }[]) {
      if (fk.table === parent) out.push({ table, column: fk.from });
    }
  }
  return out;
}

const PERSON_SKIP = new Set(['id', 'origin_office', 'created_at', 'updated_at', 'deleted_at', 'merged_into', 'id_number']);

export function mergePersons(ctx: CoreContext, keepId: string, mergeId: string): MergeResult {
  const office = ctx.requireOffice();
  if (office.officeType !== 'county') {
    throw new AppError('CONFLICT', '重复人员由县人大合并，合并结果会随数据交换包发到各乡镇。');
  }
  if (keepId === mergeId) throw new AppError('VALIDATION', '请选择两个不同的人员。');
  return ctx.repo.transaction(() => {
    const get = (id: string) =>
      ctx.db.prepare('SELECT * FROM persons WHERE id = ? AND deleted_at IS NULL').get(id) as Record<string, unknown> | undefined;
    const keep = get(keepId);
    const other = get(mergeId);
    if (!keep || !other) throw new AppError('NOT_FOUND', '要合并的人员不存在或已被合并、删除。请刷新后重试。');
    if (!keep.id_number || keep.id_number !== other.id_number) {
      throw new AppError('VALIDATION', '只能合并公民身份号码相同的人员。');
    }

    // Blanks of the kept person are filled from the other; what the kept one has stays.
    const fill: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(other)) {
      if (!PERSON_SKIP.has(k) && v !== null && v !== '' && (keep[k] === null || keep[k] === '')) fill[k] = v;
    }
    if (Object.keys(fill).length) ctx.repo.update('persons', keepId, fill, { summary: `合并重复人员：补全${String(keep.name)}的信息` });

    let movedSeats = 0;
    let mergedTwinSeats = 0;
    let movedReferences = 0;
    const seatRefs = referencesTo(ctx.db, 'seats');
    const moveRefs = (refs: { table: string; column: string }[], from: string, to: string) => {
      for (const ref of refs) {
        const ids = ctx.db
          .prepare(`SELECT id FROM "${ref.table}" WHERE "${ref.column}" = ? AND deleted_at IS NULL`)
          .pluck()
          .all(from) as string[];
        for (const id of ids) {
          ctx.repo.update(ref.table, id, { [ref.column]: to }, { audit: false });
          movedReferences++;
        }
      }
    };

    // Seats: a seat the kept person already holds (same level and term) is a twin: its references move and it goes.
    const seats = ctx.db
      .prepare('SELECT id, level, term FROM seats WHERE person_id = ? AND deleted_at IS NULL')
      .all(mergeId) as { id: string; level: string; term: string }[];
    for (const seat of seats) {
      const twin = ctx.db
        .prepare('SELECT id FROM seats WHERE person_id = ? AND level = ? AND term = ? AND deleted_at IS NULL')
        .pluck()
        .get(keepId, seat.level, seat.term) as string | undefined;
      if (twin) {
        moveRefs(seatRefs, seat.id, twin);
        ctx.repo.tombstone('seats', seat.id, { audit: false });
        mergedTwinSeats++;
      } else {
        ctx.repo.update('seats', seat.id, { person_id: keepId }, { audit: false });
        movedSeats++;
      }
    }
    moveRefs(
      referencesTo(ctx.db, 'persons').filter((r) => r.table !== 'seats'),
      mergeId,
      keepId,
    );

    ctx.repo.update('persons', mergeId, { merged_into: keepId }, { audit: false });
    ctx.repo.tombstone('persons', mergeId, { audit: false });
    ctx.repo.audit({
      action: 'merge',
      entity: 'persons',
      entityId: keepId,
      summary: `合并重复人员：${String(other.name)}（${String(other.origin_office)}登记）并入${String(keep.name)}（${String(keep.origin_office)}登记），移入席位 ${movedSeats} 个，合并重复席位 ${mergedTwinSeats} 个`,
      before: { mergedId: mergeId },
      after: { keptId: keepId, filled: Object.keys(fill) },
    });
    return { keptId: keepId, mergedId: mergeId, movedSeats, mergedTwinSeats, movedReferences, filledFields: Object.keys(fill) };
  });
}
