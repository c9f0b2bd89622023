import type { ItemResult, ScoreResult } from './engine.js';
import { formatPoints, formatSignedPoints } from './points.js';

/**
 * The score explained line by line in Chinese, as the clerk reads it on the
 * ranking screen, in the 履职档案 and from the CLI: what was counted, the
 * points before and after each cap, the deductions, then base, floor, grade.
 */

const p = formatPoints;

function times(n: number, points: number): string {
  return `${n} 次 × ${p(points)} 分`;
}

export function explainItem(i: ItemResult, item: { firstPoints: number; furtherPoints: number; cap: number | null; cosignPoints: number; cosignCap: number | null; leavePoints: number; absentPoints: number }): string {
  const parts: string[] = [];
  const occurrences = i.attended + i.led;
  if (occurrences > 0) {
    const what = i.led > 0 && i.attended === 0 ? `领衔 ${i.led} 件` : i.led > 0 ? `计 ${occurrences} 次（含领衔 ${i.led} 件）` : `出席 ${occurrences} 次`;
    const further = occurrences - 1;
    const calc =
      further === 0 || item.furtherPoints === 0
        ? `首次 ${p(item.firstPoints)} 分${further > 0 ? `，其后 ${further} 次不另计分` : ''}`
        : `首次 ${p(item.firstPoints)} 分 + 其后 ${further} 次 × ${p(item.furtherPoints)} 分 = ${p(i.occurrencePoints)} 分`;
    parts.push(`${what}：${calc}`);
  }
  if (i.cosigned > 0 && item.cosignPoints !== 0) {
    let s = `附议 ${i.cosigned} 件 × ${p(item.cosignPoints)} 分 = ${p(i.cosignRaw)} 分`;
    if (i.cosignCounted !== i.cosignRaw) s += `，附议上限 ${p(item.cosignCap ?? 0)} 分，按 ${p(i.cosignCounted)} 分计`;
    parts.push(s);
  }
  if (occurrences > 0 || (i.cosigned > 0 && item.cosignPoints !== 0)) {
    if (i.afterCap !== i.beforeCap) parts.push(`小计 ${p(i.beforeCap)} 分，超过本项上限 ${p(item.cap ?? 0)} 分，按 ${p(i.afterCap)} 分计`);
    else if (parts.length > 1) parts.push(`小计 ${p(i.afterCap)} 分`);
  }
  if (i.leave > 0 && item.leavePoints !== 0) parts.push(`请假 ${times(i.leave, item.leavePoints)} = ${p(i.leave * item.leavePoints)} 分`);
  if (i.absent > 0 && item.absentPoints !== 0) parts.push(`缺席 ${times(i.absent, item.absentPoints)} = ${p(i.absent * item.absentPoints)} 分`);
  if (parts.length === 0) return `${i.name}：无记录，0 分`;
  return `${i.name}：${parts.join('；')}；本项得 ${p(i.points)} 分`;
}

export interface ExplainedLine {
  code: string | null;
  text: string;
  points: number | null;
}

export function explainScore(
  score: ScoreResult,
  items: { code: string; firstPoints: number; furtherPoints: number; cap: number | null; cosignPoints: number; cosignCap: number | null; leavePoints: number; absentPoints: number }[],
  options: { includeEmpty?: boolean } = {},
): ExplainedLine[] {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const lines: ExplainedLine[] = [];
  if (score.base !== 0) lines.push({ code: null, text: `基础分 ${p(score.base)} 分`, points: score.base });
  for (const i of score.items) {
    const empty = i.attended + i.led + i.cosigned + i.leave + i.absent === 0;
    if (empty && !options.includeEmpty) continue;
    const spec = byCode.get(i.code);
    lines.push({ code: i.code, text: spec ? explainItem(i, spec) : `${i.name}：${p(i.points)} 分`, points: i.points });
  }
  for (const a of score.adjustments) {
    const who = a.approvedBy ? `，${a.approvedBy}批准` : '';
    const when = a.date ? `${a.date} ` : '';
    lines.push({ code: null, text: `${a.points >= 0 ? '加分' : '扣分'}：${when}${a.reason}${who}，${formatSignedPoints(a.points)} 分`, points: a.points });
  }
  lines.push({ code: null, text: `合计 ${p(score.sum)} 分`, points: score.sum });
  if (score.floorApplied) lines.push({ code: null, text: `低于总分下限 ${p(score.floor ?? 0)} 分，按 ${p(score.total)} 分计`, points: score.total });
  lines.push({ code: null, text: `总分 ${p(score.total)} 分`, points: score.total });
  if (score.grade) {
    lines.push({
      code: null,
      text: `等级：${score.grade}${score.gradeMin === null ? '' : `（${p(score.gradeMin)} 分及以上）`}`,
      points: null,
    });
  }
  return lines;
}
