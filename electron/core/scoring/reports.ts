import type { Writable } from 'node:stream';
import type { Dossier, DossierEntry, FileOutput } from '../../../shared/contract/index.js';
import { LEVEL_LABELS, type Level } from '../../../shared/dictionaries.js';
import { AppError } from '../../../shared/errors.js';
import { DOSSIER_SECTIONS, explainScore, pointsNumber, RULE_CATEGORIES, sectionOfType } from '../../../shared/scoring/index.js';
import type { CoreContext } from '../context.js';
import { placeName } from '../reports/filters.js';
import {
  addOfficialSheet,
  BORDER_ALL,
  chineseDate,
  columnLetter,
  FONT_BODY,
  FONT_TITLE,
  HEADER_ROW,
  newWorkbookWriter,
  officialPageSetup,
  PAGE_FOOTER,
  safeFileName,
  styleHeaderCell,
  workbookFileOutput,
  yieldToIo,
} from '../reports/layout.js';
import { computePeriod, townshipKey, type ScoredSeat } from './compute.js';
import { noRulesError } from './scores.js';

/** 履职积分汇总表 and 代表履职档案. */

function scopeTitle(ctx: CoreContext, township?: string, level?: Level): string {
  const place = township ?? placeName(ctx.office()?.officeName ?? '');
  return `${place}${level ? LEVEL_LABELS[level] : ''}人大代表`;
}

// ---------- 履职积分汇总表 ----------

export async function writeSummary(stream: Writable, ctx: CoreContext, input: { period: string; township?: string; level?: Level }): Promise<number> {
  const scores = computePeriod(ctx, input.period);
  if (scores.ruleSets.length === 0) throw noRulesError(scores.period.label);
  const seats = scores.seats
    .filter((s) => (!input.township || s.township === input.township) && (!input.level || s.level === input.level))
    .sort(
      (a, b) =>
        a.level.localeCompare(b.level) ||
        (a.township ?? '').localeCompare(b.township ?? '', 'zh-CN') ||
        a.rankInTownship - b.rankInTownship ||
        a.name.localeCompare(b.name, 'zh-CN'),
    );
  const used = new Set(seats.map((s) => s.ruleSetId));
  const items: { code: string; name: string; category: string }[] = [];
  const seen = new Set<string>();
  for (const r of scores.ruleSets.filter((x) => used.has(x.id))) {
    for (const i of scores.specs.get(r.id)!.items) if (!seen.has(i.code) && (seen.add(i.code), true)) items.push(i);
  }
  items.sort((a, b) => RULE_CATEGORIES.indexOf(a.category as never) - RULE_CATEGORIES.indexOf(b.category as never));
  const fixedBefore = ['序号', '姓名', '代表证号', '层级', '所属乡镇', '代表小组'];
  const fixedAfter = ['基础分', '加减分', '总分', '等级', '乡镇排名', '层级排名'];
  const widths = [6, 10, 13, 6, 12, 14, ...items.map(() => 8), 7, 7, 8, 7, 7, 7];
  const wb = newWorkbookWriter(stream);
  const ws = addOfficialSheet(wb, {
    sheetName: '履职积分汇总表',
    title: `${scopeTitle(ctx, input.township, input.level)}${scores.period.label}履职积分汇总表`,
    widths,
    officeLine: {
      left: `制表单位：${ctx.office()?.officeName ?? ''}`,
      center: `规则：${scores.ruleSets.map((r) => r.name).join('；')}`,
      right: `制表日期：${chineseDate()}`,
    },
    headerRowCount: 2,
    freezeColumns: 2,
  });
  const top = ws.getRow(HEADER_ROW);
  const bottom = ws.getRow(HEADER_ROW + 1);
  top.height = 22;
  bottom.height = 36;
  let c = 1;
  const vertical = (text: string) => {
    top.getCell(c).value = text;
    styleHeaderCell(top.getCell(c));
    styleHeaderCell(bottom.getCell(c));
    ws.mergeCells(`${columnLetter(c)}${HEADER_ROW}:${columnLetter(c)}${HEADER_ROW + 1}`);
    c++;
  };
  fixedBefore.forEach(vertical);
  for (const category of RULE_CATEGORIES) {
    const group = items.filter((i) => i.category === category);
    if (group.length === 0) continue;
    const from = c;
    for (const i of group) {
      bottom.getCell(c).value = i.name;
      styleHeaderCell(bottom.getCell(c));
      styleHeaderCell(top.getCell(c));
      c++;
    }
    top.getCell(from).value = category;
    if (c - 1 > from) ws.mergeCells(`${columnLetter(from)}${HEADER_ROW}:${columnLetter(c - 1)}${HEADER_ROW}`);
  }
  fixedAfter.forEach(vertical);
  top.commit();
  bottom.commit();
  let n = 0;
  for (const s of seats) {
    n++;
    const byCode = new Map(s.result.items.map((i) => [i.code, i.points]));
    const values: (string | number | null)[] = [
      n,
      s.name,
      s.certificateNo,
      LEVEL_LABELS[s.level],
      s.township,
      s.groupName,
      ...items.map((i) => (byCode.has(i.code) ? pointsNumber(byCode.get(i.code)!) : null)),
      pointsNumber(s.result.base),
      pointsNumber(s.result.adjustmentTotal),
      pointsNumber(s.result.total),
      s.result.grade,
      s.rankInTownship,
      s.rankInLevel,
    ];
    const row = ws.getRow(HEADER_ROW + 1 + n);
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      cell.value = v;
      cell.font = i === values.length - 4 ? { ...FONT_BODY, bold: true } : FONT_BODY;
      cell.border = BORDER_ALL;
      cell.alignment = { vertical: 'middle', horizontal: typeof v === 'number' || i === 3 ? 'center' : 'left' };
    });
    row.commit();
    if (n % 2000 === 0) await yieldToIo();
  }
  ws.commit();
  await wb.commit();
  return n;
}

export async function summaryWorkbook(ctx: CoreContext, input: { period: string; township?: string; level?: Level }): Promise<FileOutput> {
  const period = computePeriod(ctx, input.period).period;
  const name = `${scopeTitle(ctx, input.township, input.level)}${period.label}履职积分汇总表`;
  const out = await workbookFileOutput(`${safeFileName(name)}.xlsx`, (stream) => writeSummary(stream, ctx, input));
  ctx.repo.audit({ action: 'export', entity: 'score_summary', summary: `导出${name}` });
  return out;
}


// ---------- 代表履职档案 ----------

interface BasicDbRow {
  id: string;
  name: string;
  gender: string | null;
  ethnicity: string | null;
  birth_date: string | null;
  political_affiliation: string | null;
  education: string | null;
  work_unit: string | null;
  level: Level;
  term: string;
  constituency: string | null;
  township: string | null;
  certificate_no: string | null;
  group_name: string | null;
  station_name: string | null;
}

function dossierSeats(ctx: CoreContext, input: { seatId?: string; township?: string; level?: Level }): BasicDbRow[] {
  const where = ['s.deleted_at IS NULL'];
  const params: unknown[] = [];
  if (input.seatId) {
    where.push('s.id = ?');
    params.push(input.seatId);
  }
  if (input.township) {
    where.push('s.township = ?');
    params.push(input.township);
  }
  if (input.level) {
    where.push('s.level = ?');
    params.push(input.level);
  }
  if (!input.seatId) where.push("s.status IN ('current', 'suspended')");
  return ctx.db
    .prepare(
      `SELECT s.id, p.name, p.gender, p.ethnicity, p.birth_date, p.political_affiliation, p.education, p.work_unit,
              s.level, s.term, s.constituency, s.township, s.certificate_no, g.name AS group_name, st.name AS station_name
         FROM seats s JOIN persons p ON p.id = s.person_id
         LEFT JOIN deputy_groups g ON g.id = s.group_id
         LEFT JOIN liaison_stations st ON st.id = s.station_id
        WHERE ${where.join(' AND ')}
        ORDER BY s.level, s.township, p.name, s.certificate_no, s.id`,
    )
    .all(...params) as BasicDbRow[];
}

const MAX_DOSSIERS = 2000;

export function dossiers(ctx: CoreContext, input: { period: string; seatId?: string; township?: string; level?: Level }): Dossier[] {
  const scores = computePeriod(ctx, input.period);
  const { period } = scores;
  const seats = dossierSeats(ctx, input);
  if (seats.length === 0) throw new AppError('NOT_FOUND', input.seatId ? '找不到该代表席位。' : '没有符合条件的在任代表。');
  if (seats.length > MAX_DOSSIERS) {
    throw new AppError('VALIDATION', `一次最多生成 ${MAX_DOSSIERS} 份履职档案（当前 ${seats.length} 名），请按乡镇分批生成。`);
  }
  const byId = new Map<string, ScoredSeat>(scores.seats.map((s) => [s.seatId, s]));
  const activitiesOf = ctx.db.prepare(
    `SELECT a.date, a.type, a.title, a.organiser, p.attendance FROM activity_participants p JOIN activities a ON a.id = p.activity_id
      WHERE p.seat_id = ? AND p.deleted_at IS NULL AND a.deleted_at IS NULL AND a.review_status <> 'rejected'
        AND a.date BETWEEN ? AND ? ORDER BY a.date, a.title`,
  );
  const suggestionsOf = ctx.db.prepare(
    `SELECT date, title, number, '领衔' AS role FROM suggestions WHERE lead_seat_id = ? AND deleted_at IS NULL AND review_status <> 'rejected' AND date BETWEEN ? AND ?
     UNION ALL
     SELECT g.date, g.title, g.number, '附议' FROM suggestion_cosigners c JOIN suggestions g ON g.id = c.suggestion_id
      WHERE c.seat_id = ? AND c.deleted_at IS NULL AND g.deleted_at IS NULL AND g.review_status <> 'rejected' AND g.date BETWEEN ? AND ?
     ORDER BY 1, 2`,
  );
  const adjustmentsOf = ctx.db.prepare(
    `SELECT date, points_x100, reason, approved_by FROM score_adjustments WHERE seat_id = ? AND deleted_at IS NULL AND review_status <> 'rejected' AND date BETWEEN ? AND ? ORDER BY date`,
  );
  const officeName = ctx.office()?.officeName ?? '';
  return seats.map((s) => {
    const entries = activitiesOf.all(s.id, period.start, period.end) as DossierEntry[];
    const scored = byId.get(s.id);
    const spec = scored ? scores.specs.get(scored.ruleSetId) : undefined;
    return {
      seatId: s.id,
      period: period.id,
      periodLabel: period.label,
      officeName,
      basic: [
        { label: '姓名', value: s.name },
        { label: '性别', value: s.gender ?? '' },
        { label: '民族', value: s.ethnicity ?? '' },
        { label: '出生年月', value: s.birth_date?.slice(0, 7) ?? '' },
        { label: '政治面貌', value: s.political_affiliation ?? '' },
        { label: '学历', value: s.education ?? '' },
        { label: '代表层级', value: `${LEVEL_LABELS[s.level]}人大代表` },
        { label: '届次', value: s.term },
        { label: '所属乡镇', value: s.township ?? '' },
        { label: '选区', value: s.constituency ?? '' },
        { label: '代表小组', value: s.group_name ?? '' },
        { label: '联络站', value: s.station_name ?? '' },
        { label: '代表证号', value: s.certificate_no ?? '' },
        { label: '工作单位及职务', value: s.work_unit ?? '' },
      ],
      sections: DOSSIER_SECTIONS.filter((x) => x.key !== 'suggestions').map((x) => ({
        key: x.key,
        label: x.label,
        entries: entries.filter((e) => sectionOfType(e.type) === x.key),
      })),
      suggestions: (suggestionsOf.all(s.id, period.start, period.end, s.id, period.start, period.end) as Dossier['suggestions']),
      adjustments: (adjustmentsOf.all(s.id, period.start, period.end) as { date: string; points_x100: number; reason: string; approved_by: string }[]).map((a) => ({
        date: a.date,
        points: a.points_x100,
        reason: a.reason,
        approvedBy: a.approved_by,
      })),
      score:
        scored && spec
          ? {
              total: scored.result.total,
              grade: scored.result.grade,
              rankInTownship: scored.rankInTownship,
              townshipCount: scores.groupSizes.get(townshipKey(scored)) ?? 0,
              lines: explainScore(scored.result, spec.items),
              frozen: scored.frozen,
            }
          : null,
    };
  });
}

function sheetNameFor(d: Dossier, used: Set<string>): string {
  const name = d.basic[0]!.value;
  const cert = d.basic.find((b) => b.label === '代表证号')?.value;
  let base = safeFileName(name).replace(/[\[\]]/g, '').slice(0, 20) || '代表';
  if (used.has(base) && cert) base = `${base}${cert.slice(-6)}`;
  let candidate = base.slice(0, 31);
  for (let i = 2; used.has(candidate); i++) candidate = `${base.slice(0, 27)}(${i})`;
  used.add(candidate);
  return candidate;
}

async function writeDossiers(stream: Writable, list: Dossier[]): Promise<void> {
  const wb = newWorkbookWriter(stream);
  const used = new Set<string>();
  for (const d of list) {
    const ws = wb.addWorksheet(sheetNameFor(d, used), {
      pageSetup: officialPageSetup(null, 'portrait'),
      headerFooter: { oddFooter: PAGE_FOOTER },
      views: [{ showGridLines: false }],
    });
    ws.columns = [{ width: 13 }, { width: 16 }, { width: 30 }, { width: 16 }, { width: 10 }];
    let r = 1;
    const put = (values: (string | number | null)[], style: 'title' | 'sub' | 'section' | 'header' | 'body' | 'text', merge = false) => {
      const row = ws.getRow(r);
      values.forEach((v, i) => {
        const cell = row.getCell(i + 1);
        cell.value = v;
        if (style === 'title') cell.font = FONT_TITLE;
        else if (style === 'section') cell.font = { name: '黑体', size: 12, bold: true };
        else if (style === 'header') styleHeaderCell(cell);
        else cell.font = FONT_BODY;
        if (style === 'body' || style === 'header') cell.border = BORDER_ALL;
        cell.alignment = { vertical: 'middle', wrapText: true, horizontal: style === 'title' ? 'center' : 'left' };
      });
      if (style === 'title') row.height = 32;
      if (style === 'body' || style === 'header') for (let i = values.length + 1; i <= 5 && !merge; i++) row.getCell(i).border = BORDER_ALL;
      if (merge) ws.mergeCells(`A${r}:E${r}`);
      row.commit();
      r++;
    };
    put([`代表履职档案（${d.periodLabel}）`], 'title', true);
    put([`建档单位：${d.officeName}    生成日期：${chineseDate()}`], 'sub', true);
    put(['一、基本信息'], 'section', true);
    for (let i = 0; i < d.basic.length; i += 2) {
      const a = d.basic[i]!;
      const b = d.basic[i + 1];
      put([a.label, a.value, b?.label ?? '', b?.value ?? ''], 'body');
    }
    const numbers = ['二', '三', '四', '五', '六', '七', '八', '九', '十'];
    let k = 0;
    const sectionTitle = (label: string) => put([`${numbers[k++]}、${label}`], 'section', true);
    for (const section of d.sections) {
      if (section.key === 'reports' || section.key === 'awards') continue;
      sectionTitle(section.label);
      put(['日期', '类型', '名称', '组织单位', '出勤'], 'header');
      if (section.entries.length === 0) put(['（无）'], 'text', true);
      for (const e of section.entries) put([e.date, e.type, e.title, e.organiser, e.attendance], 'body');
      if (section.key === 'group') {
        sectionTitle('提出建议');
        put(['日期', '方式', '建议标题', '编号'], 'header');
        if (d.suggestions.length === 0) put(['（无）'], 'text', true);
        for (const s of d.suggestions) put([s.date, s.role, s.title, s.number], 'body');
      }
    }
    for (const key of ['reports', 'awards'] as const) {
      const section = d.sections.find((x) => x.key === key)!;
      sectionTitle(section.label);
      put(['日期', '类型', '名称', '组织单位', '出勤'], 'header');
      if (section.entries.length === 0) put(['（无）'], 'text', true);
      for (const e of section.entries) put([e.date, e.type, e.title, e.organiser, e.attendance], 'body');
    }
    sectionTitle('履职积分');
    if (!d.score) put(['本期没有适用的积分规则。'], 'text', true);
    else {
      put([`总分 ${pointsNumber(d.score.total)} 分${d.score.grade ? `，等级：${d.score.grade}` : ''}，乡镇内排名第 ${d.score.rankInTownship} 名（共 ${d.score.townshipCount} 名）${d.score.frozen ? '（已封存）' : ''}`], 'text', true);
      for (const line of d.score.lines) put([line.text], 'text', true);
    }
    if (d.adjustments.length) {
      put(['加减分记录：'], 'text', true);
      for (const a of d.adjustments) put([`${a.date} ${a.points > 0 ? '+' : ''}${pointsNumber(a.points)} 分：${a.reason}（${a.approvedBy}批准）`], 'text', true);
    }
    ws.commit();
    await yieldToIo();
  }
  await wb.commit();
}

export async function dossierWorkbook(ctx: CoreContext, input: { period: string; seatId?: string; township?: string; level?: Level }): Promise<FileOutput> {
  const list = dossiers(ctx, input);
  const who = list.length === 1 ? list[0]!.basic[0]!.value : `${input.township ?? scopeTitle(ctx, undefined, input.level)}（${list.length}人）`;
  const name = `代表履职档案_${who}_${list[0]!.periodLabel}`;
  const out = await workbookFileOutput(`${safeFileName(name)}.xlsx`, (stream) => writeDossiers(stream, list));
  ctx.repo.audit({ action: 'export', entity: 'dossier', summary: `导出${name}` });
  return out;
}

