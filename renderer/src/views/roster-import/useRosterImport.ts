import { ElMessageBox } from 'element-plus';
import { computed, reactive, ref } from 'vue';
import type { FileInput, RosterImportReport, RosterImportSheet } from '@shared/contract/index';
import { LEVEL_LABELS, LEVELS, parseLevel } from '@shared/dictionaries';
import { IMPORT_FIELD_SPECS, type ImportField } from '@shared/rosterImport';
import { call, showError } from '@/api/client';
import { saveFile } from '@/components/files/saveFile';
import { useOfficeStore } from '@/stores/office';

/** What the user chose for one sheet; sent with every preview and with the import. */
export interface SheetChoice {
  include: boolean;
  headerRow: number | null;
  /** Column number → field (null: not imported). Only the user's changes. */
  mapping: Record<string, ImportField | null>;
  fills: { level: string; term: string; township: string };
}

export const STEPS = ['选择文件', '核对列', '补充信息', '检查结果', '完成'] as const;

/** The choices in each column's drop-down: every field the import reads, grouped. */
export const FIELD_OPTIONS = [
  { label: '代表本人', options: IMPORT_FIELD_SPECS.filter((s) => s.kind === 'person') },
  { label: '席位', options: IMPORT_FIELD_SPECS.filter((s) => s.kind === 'seat') },
  { label: '其他', options: IMPORT_FIELD_SPECS.filter((s) => s.kind === 'none') },
].map((g) => ({ label: g.label, options: g.options.map((s) => ({ value: s.field, label: s.label })) }));

export const LEVEL_OPTIONS = LEVELS.map((value) => ({ value, label: LEVEL_LABELS[value] }));
export const FIELD_LABEL = Object.fromEntries(IMPORT_FIELD_SPECS.map((s) => [s.field, s.label])) as Record<ImportField, string>;
/** Errors and warnings shown on screen at most (the counts are complete). */
const MAX_ISSUES = 500;

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error('无法读取所选文件'));
    reader.readAsDataURL(file);
  });
}

export function useRosterImport() {
  const office = useOfficeStore();
  const step = ref(0);
  const busy = ref(false);
  const busyText = ref('');
  const file = ref<FileInput | null>(null);
  const preview = ref<RosterImportReport | null>(null);
  const result = ref<RosterImportReport | null>(null);
  const choices = reactive<Record<string, SheetChoice>>({});
  /** Choices changed since the last preview. */
  const dirty = ref(false);

  const sheets = computed<RosterImportSheet[]>(() => preview.value?.sheets ?? []);
  const includedSheets = computed(() => sheets.value.filter((s) => choices[s.name]?.include !== false && s.headerRow !== null));
  const report = computed(() => result.value ?? preview.value);
  /** Fillable fields a sheet has no column for: what step 3 asks for. */
  const needsFill = (sheet: RosterImportSheet) => sheet.absent.filter((f) => f === 'level' || f === 'term' || f === 'township');
  const missingFills = computed(() =>
    includedSheets.value.flatMap((s) => {
      const c = choices[s.name]!;
      return needsFill(s)
        .filter((f) => (f === 'level' || f === 'term') && !c.fills[f].trim() && !(f === 'level' && s.levelHint))
        .map((f) => `工作表“${s.name}”的${FIELD_LABEL[f]}`);
    }),
  );

  function input() {
    return {
      file: file.value!,
      maxIssues: MAX_ISSUES,
      sheets: Object.entries(choices).map(([name, c]) => {
        const fills: Record<string, string> = {};
        for (const [key, value] of Object.entries(c.fills)) if (value.trim()) fills[key] = value.trim();
        return {
          name,
          include: c.include,
          ...(c.headerRow ? { headerRow: c.headerRow } : {}),
          ...(Object.keys(c.mapping).length ? { mapping: c.mapping } : {}),
          ...(Object.keys(fills).length ? { fills } : {}),
        };
      }),
    };
  }

  /** First look: take the detected header rows and suggested fills as the starting choices. */
  function adopt(report: RosterImportReport) {
    for (const sheet of report.sheets) {
      const known = choices[sheet.name];
      if (known) continue;
      const suggested = sheet.suggestedFills;
      const level = parseLevel(suggested.level) ?? sheet.levelHint ?? '';
      choices[sheet.name] = {
        include: sheet.skipReason !== '隐藏的工作表' && sheet.headerRow !== null,
        headerRow: null,
        mapping: {},
        fills: {
          level: sheet.absent.includes('level') ? level : '',
          term: sheet.absent.includes('term') ? (suggested.term ?? '') : '',
          township:
            sheet.absent.includes('township') && office.office?.officeType === 'township' ? office.office.officeName : '',
        },
      };
    }
  }

  async function runPreview(text: string): Promise<boolean> {
    busy.value = true;
    busyText.value = text;
    try {
      preview.value = await call('roster.importPreview', input());
      dirty.value = false;
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      busy.value = false;
    }
  }

  async function chooseFile(event: Event) {
    const target = event.target as HTMLInputElement;
    const chosen = target.files?.[0];
    target.value = '';
    if (!chosen) return;
    if (!/\.xlsx$/i.test(chosen.name)) {
      showError(new Error(/\.xls$/i.test(chosen.name) ? '这是旧版 .xls 文件，请在 Excel 或 WPS 中“另存为” .xlsx 后再导入。' : '请选择 .xlsx 格式的 Excel 文件。'));
      return;
    }
    try {
      file.value = { name: chosen.name, base64: await readAsBase64(chosen) };
    } catch (err) {
      showError(err);
      return;
    }
    for (const key of Object.keys(choices)) delete choices[key];
    preview.value = null;
    result.value = null;
    if (await runPreview('正在识别工作表和表头…')) {
      adopt(preview.value!);
      // The suggested fills change what is missing: look again with them.
      if (Object.values(choices).some((c) => c.fills.level || c.fills.term || c.fills.township)) await runPreview('正在识别…');
      step.value = 1;
    }
  }

  function setField(sheet: string, column: number, field: ImportField | null) {
    choices[sheet]!.mapping[String(column)] = field;
    dirty.value = true;
  }

  function setHeaderRow(sheet: string, row: number | null | undefined) {
    const c = choices[sheet]!;
    c.headerRow = row ?? null;
    c.mapping = {}; // other columns under another header row
    dirty.value = true;
    void runPreview('正在按新的表头行识别…');
  }

  function setInclude(sheet: string, include: boolean) {
    choices[sheet]!.include = include;
    dirty.value = true;
  }

  async function next() {
    if (step.value === 1) {
      if (includedSheets.value.length === 0) {
        showError(new Error('没有要导入的工作表，请至少选择一个有表头的工作表。'));
        return;
      }
      if (dirty.value && !(await runPreview('正在按您的选择重新识别…'))) return;
      step.value = 2;
    } else if (step.value === 2) {
      if (missingFills.value.length) {
        showError(new Error(`请补充：${missingFills.value.join('、')}`));
        return;
      }
      if (await runPreview('正在检查每一行…')) step.value = 3;
    }
  }

  function back() {
    if (step.value > 0 && step.value < 4) step.value--;
  }

  async function confirmImport() {
    const r = preview.value;
    if (!r) return;
    const writes = r.imported + r.updated;
    if (writes === 0) return;
    try {
      await ElMessageBox.confirm(
        `将新增 ${r.imported} 个席位、更新 ${r.updated} 个席位` +
          (r.errorRows ? `；有错误的 ${r.errorRows} 行不导入（可改正后再导入同一文件，已导入的不会重复）` : '') +
          '。确定导入吗？',
        '确认导入',
        { type: 'warning', confirmButtonText: '确定导入', cancelButtonText: '再看看' },
      );
    } catch {
      return;
    }
    busy.value = true;
    busyText.value = '正在导入…';
    try {
      result.value = await call('roster.importApply', input());
      step.value = 4;
    } catch (err) {
      showError(err);
    } finally {
      busy.value = false;
    }
  }

  async function downloadTemplate() {
    try {
      saveFile(await call('roster.importTemplate', {}));
    } catch (err) {
      showError(err);
    }
  }

  function restart() {
    step.value = 0;
    file.value = null;
    preview.value = null;
    result.value = null;
    for (const key of Object.keys(choices)) delete choices[key];
  }

  return {
    step,
    busy,
    busyText,
    file,
    preview,
    result,
    report,
    choices,
    dirty,
    sheets,
    includedSheets,
    needsFill,
    missingFills,
    chooseFile,
    setField,
    setHeaderRow,
    setInclude,
    next,
    back,
    confirmImport,
    downloadTemplate,
    restart,
  };
}
