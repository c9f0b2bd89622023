import { BACKUP_COUNT_LABELS, type BackupCounts, type BackupInfo } from '@shared/contract/index';

/** 2025-01-15 08:30 in the PC's local time. */
export function localTime(iso: string, seconds = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  const base = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  return seconds ? `${base}:${p(d.getSeconds())}` : base;
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The counts the clerk cares about, in order (seats and persons always, the rest when there are any); the audit-entry count is left for the detail view. */
const MAIN_COUNTS = ['seats', 'persons', 'activities', 'spending', 'payoutBatches'];
const ALWAYS = new Set(['seats', 'persons']);

export function countsText(counts: BackupCounts): string {
  return MAIN_COUNTS.filter((k) => counts[k] !== undefined && (ALWAYS.has(k) || counts[k]! > 0))
    .map((k) => `${BACKUP_COUNT_LABELS[k]} ${counts[k]}`)
    .join(' · ');
}

export function countRows(backup: BackupCounts, current: BackupCounts | null): { label: string; backup: number | null; current: number | null }[] {
  const keys = Object.keys(BACKUP_COUNT_LABELS).filter((k) => backup[k] !== undefined || current?.[k] !== undefined);
  return keys.map((k) => ({ label: BACKUP_COUNT_LABELS[k]!, backup: backup[k] ?? null, current: current?.[k] ?? null }));
}

export const LOCATION_LABELS: Record<BackupInfo['location'], string> = {
  data: '数据目录',
  mirror: '第二备份位置',
  other: '其他文件夹',
};

/** A file chosen in the page, as the contract's fileInput. */
export function readFileInput(file: File): Promise<{ name: string; base64: string }> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ name: file.name, base64: String(reader.result).replace(/^data:[^,]*,/, '') });
    reader.onerror = () => reject(new Error('无法读取所选文件'));
    reader.readAsDataURL(file);
  });
}
