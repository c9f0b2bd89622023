import { z } from 'zod';
import { fileInput, method, noInput } from './define.js';

/**
 * Backups, restore and integrity (备份与恢复). A backup is one file: a clear
 * header (app and schema version, office, time, reason, counts, checksum) and
 * the database, gzip'd, encrypted with the office key when it is written
 * outside the data folder.
 */

/** Why a backup was made: the daily one, by hand, or before a risky operation. */
export const BACKUP_REASONS = [
  'daily',
  'manual',
  'migration',
  'import',
  'handoff-import',
  'batch-issue',
  'restore',
] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

export const BACKUP_REASON_LABELS: Record<BackupReason, string> = {
  daily: '每日自动备份',
  manual: '手动备份',
  migration: '程序升级前',
  import: '导入前',
  'handoff-import': '导入交接包前',
  'batch-issue': '发放批次前',
  restore: '恢复备份前',
};

/** What a backup holds, counted when it was made (keys of BACKUP_COUNT_LABELS). */
export type BackupCounts = Record<string, number>;

export const BACKUP_COUNT_LABELS: Record<string, string> = {
  persons: '人员',
  seats: '代表席位',
  activities: '履职活动',
  spending: '经费支出',
  payoutBatches: '补贴发放批次',
  auditEntries: '操作日志',
};

/** data: the backups folder beside the database; mirror: the second folder / USB drive; other: a folder named by hand. */
export type BackupLocation = 'data' | 'mirror' | 'other';

export interface BackupInfo {
  /** Full path on this PC. */
  file: string;
  fileName: string;
  location: BackupLocation;
  createdAt: string;
  reason: BackupReason;
  reasonLabel: string;
  /** What the operation was, e.g. “代表名册导入：名册.xlsx”. */
  detail: string | null;
  appVersion: string;
  schemaVersion: number;
  officeCode: string | null;
  officeName: string | null;
  counts: BackupCounts;
  sizeBytes: number;
  encrypted: boolean;
  /** Set when the header cannot be read: the file is damaged or not a backup. */
  problem: string | null;
}

export interface BackupPreview {
  info: BackupInfo;
  /** The checksum matched, it decrypted and decompressed, and SQLite's integrity check passed. */
  verified: boolean;
  /** null when this database has no office yet (a new PC). */
  sameOffice: boolean | null;
  /** Compared with this program: older backups are upgraded after restoring; newer ones cannot be restored. */
  schemaStatus: 'current' | 'older' | 'newer';
  /** What the database holds now, to compare with the backup. */
  current: BackupCounts | null;
}

export interface RestoreResult {
  restored: BackupInfo;
  /** The state before the restore, backed up first. */
  safetyBackup: BackupInfo | null;
  /** A damaged database is moved here instead of being backed up. */
  damagedCopy: string | null;
  /** The new handoff epoch. */
  epoch: string;
}

export interface DatabaseDamageInfo {
  message: string;
  /** false: not even readable; only restoring is possible. */
  readable: boolean;
}

export interface BackupStatus {
  dbPath: string;
  backupDir: string;
  mirrorDir: string | null;
  /** The second folder exists and can be written (a USB drive may be unplugged). */
  mirrorReachable: boolean;
  passphraseSet: boolean;
  lastBackup: BackupInfo | null;
  /** Outcome of today's automatic backup when the app started. */
  autoBackup: { ok: boolean; message: string; at: string } | null;
  damage: DatabaseDamageInfo | null;
  /** When damaged: the newest backup whose checksum verifies. */
  newestGood: BackupInfo | null;
}

export interface CheckReport {
  ok: boolean;
  file: string;
  /** PRAGMA integrity_check: ['ok'] or the problems found. */
  integrity: string[];
  foreignKeyProblems: { table: string; rowid: number | null; parent: string }[];
  schemaVersion: number;
  appSchemaVersion: number;
  schemaStatus: 'current' | 'older' | 'newer';
  office: { code: string; name: string; epoch: string } | null;
  counts: BackupCounts;
  sizeBytes: number;
  /** Chinese, one line per problem; empty when ok. */
  problems: string[];
}

/** The office passphrase (本单位口令), typed to open an encrypted backup. */
const officePassphrase = z.string().max(200, '口令不超过200个字符').optional();
const backupFile = z.string().trim().min(1, '请选择备份文件').max(1000);

export const backupContract = {
  'backup.status': method(noInput, '备份状态、数据库是否损坏').returns<BackupStatus>(),
  'backup.list': method(
    z.object({ dir: z.string().trim().max(1000).optional() }).default({}),
    '备份列表（数据目录与第二备份位置，或指定文件夹）',
  ).returns<BackupInfo[]>(),
  'backup.create': method(
    z.object({ toMirror: z.boolean().default(false) }).default({ toMirror: false }),
    '立即备份（可同时复制到第二备份位置）',
  ).returns<{ local: BackupInfo; mirror: BackupInfo | null }>(),
  'backup.preview': method(z.object({ file: backupFile, officePassphrase }), '预览备份内容并校验').returns<BackupPreview>(),
  'backup.restore': method(
    z.object({
      file: backupFile,
      officePassphrase,
      confirm: z.literal(true, { error: '请确认恢复：当前数据会先备份，然后被备份中的数据替换' }),
    }),
    '恢复备份（先备份当前数据）',
  ).returns<RestoreResult>(),
  'backup.upload': method(z.object({ file: fileInput }), '把备份文件（例如U盘上的）放入备份文件夹').returns<BackupInfo>(),
  'backup.settings': method(
    z.object({ mirrorDir: z.string().trim().max(1000).nullable() }),
    '设置第二备份位置（另一文件夹或U盘）',
  ).returns<BackupStatus>(),
  'backup.setPassphrase': method(
    z.object({
      currentPassphrase: officePassphrase,
      newPassphrase: z.string().min(8, '口令至少8个字符').max(200, '口令不超过200个字符'),
    }),
    '设置或更改本单位口令（加密复制到数据目录以外的备份）',
  ).returns<{ passphraseSet: true }>(),
  'backup.check': method(noInput, '数据库完整性检查').returns<CheckReport>(),
};
