import { computed, ref, watch } from 'vue';
import type { SeatRow } from '@shared/contract/index';
import { LEVEL_LABELS, START_METHOD_LABELS } from '@shared/dictionaries';

/** A column the roster table can show; `text` gives the cell's plain text. */
export interface RosterColumn {
  key: string;
  label: string;
  /** Pixels; `grow` columns take what is left of the width. */
  width: number;
  grow?: boolean;
  align?: 'center';
  text: (row: SeatRow) => string;
}

const v = (s: string | null | undefined) => s ?? '';

/** Every optional column, in display order. 姓名, 状态 and 操作 are always shown. */
export const ROSTER_COLUMNS: RosterColumn[] = [
  { key: 'gender', label: '性别', width: 50, align: 'center', text: (r) => v(r.gender) },
  { key: 'ethnicity', label: '民族', width: 64, text: (r) => v(r.ethnicity) },
  { key: 'birthDate', label: '出生年月', width: 78, text: (r) => v(r.birthDate?.slice(0, 7)) },
  { key: 'politicalAffiliation', label: '政治面貌', width: 92, text: (r) => v(r.politicalAffiliation) },
  { key: 'education', label: '学历', width: 82, text: (r) => v(r.education) },
  { key: 'workUnit', label: '工作单位及职务', width: 150, grow: true, text: (r) => v(r.workUnit) },
  { key: 'composition', label: '代表构成', width: 96, text: (r) => v(r.composition) },
  { key: 'level', label: '层级', width: 52, align: 'center', text: (r) => LEVEL_LABELS[r.level] },
  { key: 'term', label: '届次', width: 78, text: (r) => r.term },
  { key: 'township', label: '所属乡镇', width: 90, text: (r) => v(r.township) },
  { key: 'constituency', label: '选区', width: 100, text: (r) => v(r.constituency) },
  { key: 'certificateNo', label: '代表证号', width: 100, text: (r) => v(r.certificateNo) },
  { key: 'groupName', label: '代表小组', width: 110, text: (r) => v(r.groupName) },
  { key: 'stationName', label: '代表联络站', width: 120, text: (r) => v(r.stationName) },
  { key: 'phone', label: '联系电话', width: 106, text: (r) => r.phoneMasked },
  { key: 'idNumber', label: '公民身份号码', width: 160, text: (r) => r.idNumberMasked },
  { key: 'startMethod', label: '当选方式', width: 80, text: (r) => (r.startMethod ? START_METHOD_LABELS[r.startMethod] : '') },
  { key: 'startDate', label: '当选日期', width: 92, text: (r) => v(r.startDate) },
  { key: 'endDate', label: '终止日期', width: 92, text: (r) => v(r.endDate) },
  { key: 'endReason', label: '终止原因', width: 130, text: (r) => v(r.endReason) },
];

const DEFAULT_KEYS = ['gender', 'ethnicity', 'birthDate', 'politicalAffiliation', 'education', 'workUnit', 'level', 'term', 'township', 'phone'];
const STORAGE_KEY = 'deputy-desk:roster-columns';

function stored(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (Array.isArray(parsed) && parsed.every((k) => typeof k === 'string')) {
      const known = new Set(ROSTER_COLUMNS.map((c) => c.key));
      return parsed.filter((k) => known.has(k));
    }
  } catch {
    // A damaged setting falls back to the default columns.
  }
  return DEFAULT_KEYS;
}

/** Which optional columns are shown; remembered on this PC (localStorage). */
export function useRosterColumns() {
  const chosen = ref<string[]>(stored());
  watch(chosen, (keys) => localStorage.setItem(STORAGE_KEY, JSON.stringify(keys)), { deep: true });
  const columns = computed(() => ROSTER_COLUMNS.filter((c) => chosen.value.includes(c.key)));
  function restoreDefaults() {
    chosen.value = [...DEFAULT_KEYS];
  }
  return { chosen, columns, restoreDefaults };
}
