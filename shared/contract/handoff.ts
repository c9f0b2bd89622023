import { z } from 'zod';
import { fileInput, method, noInput, pageInput, type FileOutput, type Page } from './define.js';

/**
 * USB handoff (数据交换) between a township and its county: pairing (配对),
 * signed and encrypted packages (数据交换包) written to a removable drive,
 * imports with a readable report, conflicts (冲突记录) and duplicate persons
 * (重复人员).
 */

export type OfficeSide = 'county' | 'township';

/** The identity file one office gives the other: no personal data. */
export interface OfficeIdentityFile {
  format: 'deputy-desk-office-identity';
  version: 1;
  officeCode: string;
  officeName: string;
  officeType: OfficeSide;
  /** Ed25519 public key, SPKI DER, base64. */
  publicKey: string;
  keyId: string;
  /** 'A1B2 C3D4 …', read aloud by phone to compare. */
  fingerprint: string;
  createdAt: string;
}

export interface TrustedOffice {
  officeCode: string;
  officeName: string;
  officeType: OfficeSide;
  keyId: string;
  fingerprint: string;
  trustedAt: string;
}

export interface PeerSummary extends TrustedOffice {
  lastExportAt: string | null;
  lastImportAt: string | null;
  /** Changes the next package to this office would carry. */
  pendingChanges: number;
}

export interface HandoffOverview {
  officeCode: string;
  officeName: string;
  officeType: OfficeSide;
  /** Null until the identity file is first exported. */
  fingerprint: string | null;
  peers: PeerSummary[];
  openConflicts: number;
  duplicateGroups: number;
}

export interface IdentityPreview {
  identity: OfficeIdentityFile;
  /** Already paired with this key. */
  alreadyTrusted: boolean;
  /** Paired before with another key: needs `replace`. */
  keyChanged: boolean;
  ownFingerprint: string;
}

export interface HandoffDrive {
  path: string;
  label: string;
  freeBytes: number | null;
  totalBytes: number | null;
}

export interface HandoffExportResult {
  packageId: string;
  file: string;
  fileName: string;
  changes: number;
  bytes: number;
  counts: Record<string, number>;
  /** The same file for the browser to save, when asked for. */
  download?: FileOutput;
}

export interface HandoffProgress {
  stage: string;
  /** 0–100 */
  percent: number;
  done: boolean;
}

/** What the header of a package says (it is in clear: no personal data). */
export interface PackageSummary {
  packageId: string;
  fromCode: string;
  fromName: string;
  toCode: string;
  createdAt: string;
  appVersion: string;
  schemaVersion: number;
  changes: number;
  counts: Record<string, number>;
  bytes: number;
  trusted: boolean;
  addressedToMe: boolean;
  alreadyImported: boolean;
}

export interface ConflictValue {
  /** Shown masked for ID numbers, phones and bank accounts. */
  display: string;
  office: string;
  officeName: string;
  hlc: string;
  at: string;
}

export type ConflictRule = 'owner' | 'clock' | 'office-code tie' | 'delete';

export interface ConflictRow {
  id: string;
  entity: string;
  entityLabel: string;
  entityId: string;
  /** e.g. the person's name, 'name · 第十九届县级'. */
  recordLabel: string;
  field: string;
  fieldLabel: string;
  rule: ConflictRule;
  ruleLabel: string;
  winner: ConflictValue;
  loser: ConflictValue;
  packageId: string | null;
  detectedAt: string;
  reappliedAt: string | null;
  /** The loser is no longer what the record shows and can be written again. */
  canReapply: boolean;
}

export interface HandoffImportCounts {
  /** Changes in the package. */
  changes: number;
  new: number;
  updated: number;
  deleted: number;
  /** Changes this database already had (overlapping packages). */
  skipped: number;
  /** Records the new changes touched without altering anything visible (e.g. they lost a conflict). */
  unchanged: number;
}

export interface HandoffImportReport extends HandoffImportCounts {
  status: 'applied' | 'already-imported';
  packageId: string;
  from: { code: string; name: string };
  fileName: string;
  createdAt: string;
  importedAt: string;
  byEntity: Record<string, { new: number; updated: number; deleted: number }>;
  conflicts: ConflictRow[];
  warnings: string[];
  backupFile: string | null;
}

export interface HandoffHistoryRow {
  id: string;
  direction: 'export' | 'import';
  packageId: string;
  peerOffice: string;
  peerName: string | null;
  fileName: string;
  filePath: string | null;
  at: string;
  operator: string;
  changes: number;
  summary: string;
}

export interface HandoffHistoryDetail extends HandoffHistoryRow {
  report: HandoffImportReport | HandoffExportResult;
}

export interface DuplicatePerson {
  id: string;
  name: string;
  gender: string | null;
  birthDate: string | null;
  idNumberMasked: string;
  phoneMasked: string;
  workUnit: string | null;
  address: string | null;
  originOffice: string;
  originName: string;
  createdAt: string;
  seats: { id: string; level: string; term: string; township: string | null; status: string }[];
}

export interface DuplicateGroup {
  idNumberMasked: string;
  persons: DuplicatePerson[];
}

export interface MergeResult {
  keptId: string;
  mergedId: string;
  movedSeats: number;
  mergedTwinSeats: number;
  movedReferences: number;
  filledFields: string[];
}

const officeCode = z.string().trim().regex(/^\d{6}(\d{3}(\d{3})?)?$/, '行政区划代码应为6位、9位或12位数字');
const passphrase = z.string().min(1, '请输入双方约定的交换口令').max(200, '交换口令不超过200个字符');
const jobId = z.string().max(64).optional();

export const handoffContract = {
  'handoff.overview': method(noInput, '数据交换概况：本单位指纹、已配对单位').returns<HandoffOverview>(),
  'handoff.identityFile': method(noInput, '导出本单位身份文件（首次导出时生成密钥）').returns<
    FileOutput & { fingerprint: string }
  >(),
  'handoff.inspectIdentity': method(z.object({ file: fileInput }), '读取对方身份文件，显示指纹以便电话核对').returns<IdentityPreview>(),
  'handoff.trust': method(
    z.object({ file: fileInput, replace: z.boolean().default(false) }),
    '信任对方单位（配对）',
  ).returns<TrustedOffice>(),
  'handoff.untrust': method(z.object({ officeCode }), '取消配对').returns<{ officeCode: string }>(),
  'handoff.drives': method(noInput, '本机已插入的U盘等可移动磁盘').returns<HandoffDrive[]>(),
  'handoff.export': method(
    z.object({
      peer: officeCode,
      /** The drive or folder; omitted: the data folder's handoff/ (the browser then downloads it). */
      dir: z.string().trim().min(1, '请选择保存位置（U盘）').max(1000).optional(),
      passphrase,
      jobId,
      download: z.boolean().default(false),
    }),
    '导出数据交换包到U盘',
  ).returns<HandoffExportResult>(),
  'handoff.progress': method(z.object({ jobId: z.string().max(64) }), '导出、导入进度').returns<HandoffProgress | null>(),
  'handoff.inspect': method(z.object({ file: fileInput }), '查看数据交换包的信息（不导入）').returns<PackageSummary>(),
  'handoff.import': method(z.object({ file: fileInput, passphrase, jobId }), '导入数据交换包').returns<HandoffImportReport>(),
  'handoff.history': method(
    z.object({ direction: z.enum(['export', 'import']).optional(), ...pageInput }),
    '交换记录',
  ).returns<Page<HandoffHistoryRow>>(),
  'handoff.historyGet': method(z.object({ id: z.string().min(1) }), '一次交换的详细报告').returns<HandoffHistoryDetail>(),
  'handoff.conflicts': method(
    z.object({ entity: z.string().max(60).optional(), open: z.boolean().default(false), ...pageInput }),
    '冲突记录',
  ).returns<Page<ConflictRow>>(),
  'handoff.reapply': method(z.object({ conflictId: z.string().min(1) }), '重新应用落选的值（作为新的修改）').returns<{
    changed: boolean;
  }>(),
  'handoff.duplicates': method(noInput, '公民身份号码相同的重复人员').returns<DuplicateGroup[]>(),
  'handoff.merge': method(
    z.object({ keepId: z.string().uuid('人员编号无效'), mergeId: z.string().uuid('人员编号无效') }),
    '合并重复人员（县人大）',
  ).returns<MergeResult>(),
};
