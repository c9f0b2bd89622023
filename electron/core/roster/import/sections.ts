/**
 * Group headings inside a roster table: a county roster listed by township
 * (“一、青山镇（15人）”, “石门乡代表团”) or one sheet holding both levels
 * (“二、乡镇人大代表”). A clerk copying such a list by hand writes the
 * heading's township or level into every row under it; so does the import,
 * for a field the sheet has no column for.
 */
import type { Level } from '../../../../shared/dictionaries.js';
import { levelFromSheetName, townshipFromSheetName } from './header.js';
import { cellText, cleanCode, type CellValue } from './values.js';

export interface Section {
  /** The heading as written, for messages. */
  text: string;
  township: string | null;
  level: Level | null;
}

/** The one text a row holds (a heading merged across the table, or typed in one cell), or null. */
function soleText(cells: CellValue[]): string | null {
  let only: string | null = null;
  for (let i = 1; i < cells.length; i++) {
    const t = cellText(cells[i]).trim();
    if (!t) continue;
    if (only === null) only = t;
    else if (t !== only) return null;
  }
  return only;
}

/** The township or level a heading row names, or null when the row is not such a heading. */
export function sectionOf(cells: CellValue[]): Section | null {
  const text = soleText(cells);
  if (!text || text.length > 30) return null;
  const bare = cleanCode(text)
    .replace(/^[(（]?[一二三四五六七八九十\d]{1,3}[)）]?[、.．:：]?/, '')
    .replace(/[(（][^)）]*[)）]$/, '')
    .replace(/[:：]?共?\d+(人|名)$/, '');
  const township = townshipFromSheetName(bare.replace(/(代表团|代表组|代表小组|代表联络组)$/, ''));
  if (township) return { text, township, level: null };
  // Only a heading that is all level words (县人大代表, 乡镇级代表): not a sentence that mentions one.
  if (!/^(全国|省|设区的市|市|州|县|区|县级|区级|乡镇|乡|镇|乡镇级|街道)(级)?(人大)?(代表)?(名单|名册)?$/.test(bare)) return null;
  const level = levelFromSheetName(bare);
  return level ? { text, township: null, level } : null;
}
