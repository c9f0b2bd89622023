import type { Writable } from 'node:stream';
import type { FileOutput, SignInImportReport, SignInIssue } from '../../../shared/contract/index.js';
import { LEVEL_LABELS, parseLevel, type Level } from '../../../shared/dictionaries.js';
import { ACTIVITY_TYPES, closedPeriodContaining, parseAttendance, type Attendance } from '../../../shared/scoring/index.js';
import { backupBefore } from '../backup/index.js';
import type { CoreContext } from '../context.js';
import {
  addHelpSheet,
  BORDER_ALL,
  FONT_BODY,
  FONT_TITLE,
  newWorkbookWriter,
  officialPageSetup,
  PAGE_FOOTER,
  workbookFileOutput,
  writeHeaderRow,
  writeWorkbookFile,
} from '../reports/layout.js';
import { readWorkbook } from '../roster/import/sheet.js';
import { cellText, parseDate, type CellValue } from '../roster/import/values.js';
import { closedPeriods } from '../scoring/ruleSets.js';
import { initialReviewStatus } from './service.js';
import { SeatLookup } from './seatLookup.js';

/**
 * 签到表: one worksheet per activity. Above the table, label cells give the
 * activity (活动名称, 活动类型, 活动日期, 组织单位, 活动地点, 组织层级); the table
 * lists 姓名, 代表证号, 公民身份号码, 出勤情况 (出席 / 请假 / 缺席), 备注.
 * Everything is checked first; with any error nothing is written. Before
 * writing, an automatic backup (导入前) like the roster import's.
 */

const LABELS: Record<string, string[]> = {
  title: ['活动名称', '会议名称', '活动主题', '名称'],
  type: ['活动类型', '类型'],
  date: ['活动日期', '日期', '活动时间', '时间'],
  organiser: ['组织单位', '主办单位', '组织者'],
  place: ['活动地点', '地点'],
  level: ['组织层级', '层级'],
  township: ['所属乡镇', '乡镇'],
};
const LABEL_TEXT: Record<string, string> = { title: '活动名称', type: '活动类型', date: '活动日期', organiser: '组织单位', place: '活动地点', level: '组织层级', township: '所属乡镇' };

const COLUMNS: Record<string, string[]> = {
  name: ['姓名', '代表姓名'],
  certificateNo: ['代表证号', '证号', '代表证编号'],
  idNumber: ['公民身份号码', '身份证号', '身份证号码'],
  attendance: ['出勤情况', '出勤', '出席情况', '签到情况', '参加情况', '到会情况'],
  note: ['备注', '说明', '请假事由'],
};

const word = (v: unknown) => cellText(v as CellValue).replace(/[\s\u3000：:]/g, '');

interface PlannedActivity {
  sheet: string;
  existingId: string | null;
  fields: { type: string; date: string; title: string; organiser: string | null; place: string | null; level: Level | null; township: string | null };
  rows: { seatId: string; attendance: Attendance; note: string | null }[];
}

export async function importSignIn(ctx: CoreContext, file: { name: string; base64: string }, dryRun: boolean): Promise<SignInImportReport> {
  const office = ctx.requireOffice();
  const lookup = new SeatLookup(ctx);
  const closed = closedPeriods(ctx);
  const errors: SignInIssue[] = [];
  const warnings: SignInIssue[] = [];
  const planned: PlannedActivity[] = [];
  const errorRows = new Set<string>();
  let rowsRead = 0;
  const knownTypes = new Set(ACTIVITY_TYPES.map((t) => t.name));

  for await (const sheet of readWorkbook({ buffer: Buffer.from(file.base64, 'base64') }, file.name)) {
    if (sheet.hidden) continue;
    const headerIndex = sheet.rows.findIndex((r) => r.cells.some((c) => COLUMNS.name!.includes(word(c))));
    if (headerIndex < 0) {
      // The template's own 填写说明 sheet is expected to have no table.
      if (sheet.rows.length > 0 && !sheet.name.includes('说明')) warnings.push({ sheet: sheet.name, row: null, column: '', message: '没有“姓名”列，此工作表未导入。' });
      continue;
    }
    const sheetError = (column: string, message: string) => errors.push({ sheet: sheet.name, row: null, column, message });
    // Label cells above the table: the value is the next non-empty cell to the right.
    const info: Record<string, string> = {};
    for (const r of sheet.rows.slice(0, headerIndex)) {
      const cells = r.cells;
      for (let i = 1; i < cells.length; i++) {
        const w = word(cells[i]);
        const key = Object.keys(LABELS).find((k) => LABELS[k]!.includes(w));
        if (!key || info[key] !== undefined) continue;
        for (let j = i + 1; j < cells.length; j++) {
          const v = cellText(cells[j] as CellValue).trim();
          if (v && word(cells[j]) !== w) {
            info[key] = v;
            break;
          }
        }
      }
    }
    const title = info.title?.trim() ?? '';
    const type = info.type?.replace(/\s/g, '') ?? '';
    if (!title) sheetError(LABEL_TEXT.title!, '表头没有填写活动名称。');
    if (!type) sheetError(LABEL_TEXT.type!, `表头没有填写活动类型（如：${ACTIVITY_TYPES.slice(0, 6).map((t) => t.name).join('、')}）。`);
    else if (!knownTypes.has(type)) warnings.push({ sheet: sheet.name, row: null, column: LABEL_TEXT.type!, message: `“${type}”不是内置活动类型；积分规则中须有同名类型才会计分。` });
    let date: string | null = null;
    if (!info.date) sheetError(LABEL_TEXT.date!, '表头没有填写活动日期。');
    else {
      const rawDate = /^\d+(\.\d+)?$/.test(info.date) ? Number(info.date) : info.date;
      const parsed = parseDate(rawDate, { label: '活动日期', needDay: true, date1904: sheet.date1904 });
      if (!parsed.ok) sheetError(LABEL_TEXT.date!, parsed.message);
      else date = parsed.value;
      const sealed = date ? closedPeriodContaining(closed, date) : null;
      if (sealed) sheetError(LABEL_TEXT.date!, `${sealed.label}的积分已结束封存，不能再导入该期间的活动。`);
    }
    let level: Level | null = office.officeType === 'county' ? 'county' : 'township';
    if (info.level) {
      const l = parseLevel(info.level);
      if (!l) sheetError(LABEL_TEXT.level!, `“${info.level}”不是代表层级（如：县、乡镇）。`);
      else level = l;
    }

    const header = sheet.rows[headerIndex]!;
    const col: Record<string, number> = {};
    header.cells.forEach((c, i) => {
      const w = word(c);
      for (const [key, words] of Object.entries(COLUMNS)) if (col[key] === undefined && words.includes(w)) col[key] = i;
    });
    if (col.attendance === undefined) {
      warnings.push({ sheet: sheet.name, row: header.number, column: '出勤情况', message: '没有“出勤情况”列，名单中的人员均按“出席”导入。' });
    }
    const activity: PlannedActivity = {
      sheet: sheet.name,
      existingId: null,
      fields: {
        type,
        date: date ?? '',
        title,
        organiser: info.organiser?.trim() || null,
        place: info.place?.trim() || null,
        level,
        township: info.township?.trim() || null,
      },
      rows: [],
    };
    const seen = new Map<string, number>();
    for (const r of sheet.rows.slice(headerIndex + 1)) {
      const get = (key: string) => (col[key] === undefined ? '' : cellText(r.cells[col[key]!] as CellValue).trim());
      const name = get('name');
      const certificateNo = get('certificateNo');
      const idNumber = get('idNumber').replace(/\s/g, '');
      if (!name && !certificateNo && !idNumber) continue;
      if (/^(合计|总计|备注|说明|注[:：])/.test(name)) continue;
      rowsRead++;
      const rowError = (column: string, message: string) => {
        errors.push({ sheet: sheet.name, row: r.number, column, message });
        errorRows.add(`${sheet.name}#${r.number}`);
      };
      let attendance: Attendance = '出席';
      if (col.attendance !== undefined) {
        const a = parseAttendance(get('attendance'));
        if (!a) {
          rowError('出勤情况', get('attendance') ? `“${get('attendance')}”应为出席、请假或缺席。` : '请填写出勤情况：出席、请假或缺席。');
          continue;
        }
        attendance = a;
      }
      if (idNumber && !/^\d{17}[\dXx]$/.test(idNumber)) {
        rowError('公民身份号码', `“${idNumber}”不是18位公民身份号码${/e\+/i.test(idNumber) ? '（被 Excel 改成了科学计数法，请把该列设为文本后重新填写）' : ''}。`);
        continue;
      }
      const found = lookup.find({ name, certificateNo, idNumber }, { date, level });
      if (!found.ok) {
        rowError(certificateNo ? '代表证号' : idNumber ? '公民身份号码' : '姓名', found.message);
        continue;
      }
      const earlier = seen.get(found.seat.id);
      if (earlier !== undefined) {
        rowError('姓名', `${found.seat.name}在本表第 ${earlier} 行已出现，同一活动每人只登记一次。`);
        continue;
      }
      seen.set(found.seat.id, r.number);
      activity.rows.push({ seatId: found.seat.id, attendance, note: get('note') || null });
    }
    if (activity.rows.length === 0 && !errors.some((e) => e.sheet === sheet.name)) {
      sheetError('姓名', '签到表中没有人员。');
    }
    if (date && title && type) {
      const existing = ctx.db
        .prepare('SELECT id FROM activities WHERE deleted_at IS NULL AND date = ? AND type = ? AND title = ?')
        .pluck()
        .get(date, type, title) as string | undefined;
      if (existing) {
        activity.existingId = existing;
        warnings.push({ sheet: sheet.name, row: null, column: '', message: `已有同日同名活动“${title}”，本表的人员并入该活动（已登记的人按本表更新出勤）。` });
      }
    }
    planned.push(activity);
  }
  if (planned.length === 0 && errors.length === 0) {
    errors.push({ sheet: '', row: null, column: '', message: '没有找到签到表：每个工作表应有“姓名”列，表头填写活动名称、活动类型、活动日期。请使用签到表模板。' });
  }

  const count = (a: PlannedActivity, s: Attendance) => a.rows.filter((r) => r.attendance === s).length;
  const report: SignInImportReport = {
    imported: false,
    activities: planned.map((a) => ({
      sheet: a.sheet,
      activityId: a.existingId,
      title: a.fields.title,
      date: a.fields.date || null,
      type: a.fields.type,
      attended: count(a, '出席'),
      leave: count(a, '请假'),
      absent: count(a, '缺席'),
    })),
    rows: rowsRead,
    participants: planned.reduce((n, a) => n + a.rows.length, 0),
    errors,
    warnings,
    errorRows: errorRows.size,
  };
  if (errors.length > 0 || dryRun) return report;

  // A copy of the records as they were, before the one transaction that writes the sheet (as roster import does).
  backupBefore(ctx, 'import', `签到表导入：${file.name}`);
  const review = initialReviewStatus(ctx);
  ctx.repo.transaction(() => {
    planned.forEach((a, index) => {
      const id = a.existingId ?? ctx.repo.insert('activities', { ...a.fields, review_status: review }, { audit: false });
      const present = new Map(
        (ctx.db.prepare('SELECT seat_id, id, attendance FROM activity_participants WHERE activity_id = ? AND deleted_at IS NULL').raw().all(id) as [string, string, string][]).map(
          ([seat, pid, att]) => [seat, { pid, att }],
        ),
      );
      for (const r of a.rows) {
        const p = present.get(r.seatId);
        if (!p) ctx.repo.insert('activity_participants', { activity_id: id, seat_id: r.seatId, attendance: r.attendance, note: r.note }, { audit: false });
        else if (p.att !== r.attendance) ctx.repo.update('activity_participants', p.pid, { attendance: r.attendance }, { audit: false });
      }
      report.activities[index]!.activityId = id;
    });
    ctx.repo.audit({
      action: 'import',
      entity: 'activities',
      summary: `导入签到表“${file.name}”：${planned.length} 次活动，${report.participants} 人次`,
    });
  });
  report.imported = true;
  return report;
}

// ---------- template ----------

async function writeTemplate(stream: Writable, officeLevel: Level): Promise<void> {
  const wb = newWorkbookWriter(stream);
  const examples: { sheet: string; title: string; type: string; date: string; organiser: string; place: string; rows: [string, string, string, string, string][] }[] = [
    {
      sheet: '签到表',
      title: '2025年第二季度代表小组集中活动',
      type: '代表小组活动',
      date: '2025-05-20',
      organiser: '青山镇人大主席团',
      place: '青山镇代表联络站',
      rows: [
        ['1', '张三', '', '', '出席'],
        ['2', '李四', '', '', '请假'],
        ['3', '王五', 'XS2021015', '', '出席'],
        ['4', '王五', 'XS2021016', '', '缺席'],
      ],
    },
  ];
  for (const ex of examples) {
    const ws = wb.addWorksheet(ex.sheet, {
      pageSetup: officialPageSetup([5, 5], 'portrait'),
      headerFooter: { oddFooter: PAGE_FOOTER },
      views: [{ state: 'frozen', ySplit: 5, showGridLines: false }],
    });
    ws.columns = [{ width: 7 }, { width: 12 }, { width: 16 }, { width: 22 }, { width: 12 }, { width: 24 }];
    const t = ws.getRow(1);
    t.height = 34;
    t.getCell(1).value = '代表活动签到表';
    t.getCell(1).font = FONT_TITLE;
    t.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
    ws.mergeCells('A1:F1');
    t.commit();
    const pairs: [string, string, string, string][] = [
      ['活动名称', ex.title, '活动类型', ex.type],
      ['活动日期', ex.date, '组织层级', LEVEL_LABELS[officeLevel]],
      ['组织单位', ex.organiser, '活动地点', ex.place],
    ];
    pairs.forEach(([l1, v1, l2, v2], i) => {
      const n = i + 2;
      const row = ws.getRow(n);
      row.height = 22;
      const cells: [number, string, boolean][] = [[1, l1, true], [2, v1, false], [5, l2, true], [6, v2, false]];
      for (const [c, v, isLabel] of cells) {
        const cell = row.getCell(c);
        cell.value = v;
        cell.font = isLabel ? { name: '宋体', size: 10, bold: true } : FONT_BODY;
        cell.border = BORDER_ALL;
        cell.alignment = { vertical: 'middle' };
      }
      for (const c of [3, 4]) row.getCell(c).border = BORDER_ALL;
      ws.mergeCells(`B${n}:D${n}`);
      row.commit();
    });
    writeHeaderRow(ws, ['序号', '姓名', '代表证号', '公民身份号码', '出勤情况', '备注'], 24, 5);
    ex.rows.forEach((values, i) => {
      const row = ws.getRow(6 + i);
      values.forEach((v, j) => {
        const cell = row.getCell(j + 1);
        cell.value = v || null;
        cell.font = FONT_BODY;
        cell.border = BORDER_ALL;
        cell.numFmt = '@';
      });
      row.getCell(6).border = BORDER_ALL;
      row.commit();
    });
    ws.commit();
  }
  addHelpSheet(wb, [
    '签到表填写说明',
    '1. 每个工作表登记一次活动；多次活动可复制“签到表”工作表（右键→移动或复制），每表一次。',
    '2. 表头填写活动名称、活动类型、活动日期（如 2025-05-20）、组织层级（县、乡镇）、组织单位和活动地点。',
    `3. 活动类型须与积分规则中的类型一致，常用：${ACTIVITY_TYPES.map((t) => t.name).join('、')}。`,
    '4. 每行一名代表：填写姓名；同名代表（如示例中的两位“王五”）必须同时填写代表证号或公民身份号码，否则无法区分，导入时会报错。',
    '5. 出勤情况填写：出席、请假 或 缺席（未经批准不出席）。人代会的“缺席”两次即属依法终止代表资格的情形，请如实填写。',
    '6. 公民身份号码一列请设为“文本”格式，避免 Excel 把号码改成科学计数法。',
    '7. 导入：在“履职活动”页面点击“导入签到表”，或命令行 deputy-desk activities import 文件.xlsx --json。导入前逐行检查，有任何错误则一条也不写入，并列出出错的工作表、行号和原因。',
    '8. 同一日期、同一类型、同一名称的活动再次导入时，人员并入已有活动，不会重复登记。',
  ]);
  await wb.commit();
}

export function signInTemplate(ctx: CoreContext): Promise<FileOutput> {
  const level: Level = ctx.office()?.officeType === 'county' ? 'county' : 'township';
  return workbookFileOutput('代表活动签到表（模板）.xlsx', (stream) => writeTemplate(stream, level));
}

export function writeSignInTemplateFile(out: string, level: Level = 'township'): Promise<void> {
  return writeWorkbookFile(out, (stream) => writeTemplate(stream, level));
}
