import fs from 'node:fs';
import type { HandoffOverview, IdentityPreview } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import type { DomainHandlers } from '../handlers.js';
import { pendingCount } from './changes.js';
import { findDuplicates, mergePersons } from './duplicates.js';
import { exportPackage } from './exportPackage.js';
import { listDrives } from './files.js';
import { getHistory, listConflicts, listHistory, reapplyConflict } from './history.js';
import { importPackage, inspectPackage } from './importPackage.js';
import { fingerprintOf, identityFile, listTrusted, ownKeyId, parseIdentity, trustedOffice, trustIdentity, untrust } from './keys.js';
import { progressOf } from './progress.js';

function overview(ctx: CoreContext): HandoffOverview {
  const me = ctx.requireOffice();
  const last = ctx.db.prepare('SELECT max(at) FROM handoff_history WHERE peer_office = ? AND direction = ?').pluck();
  const keyId = ownKeyId(ctx.db);
  return {
    officeCode: me.officeCode,
    officeName: me.officeName,
    officeType: me.officeType,
    fingerprint: keyId ? fingerprintOf(keyId) : null,
    peers: listTrusted(ctx.db).map((t) => ({
      ...t,
      lastExportAt: (last.get(t.officeCode, 'export') as string | null) ?? null,
      lastImportAt: (last.get(t.officeCode, 'import') as string | null) ?? null,
      pendingChanges: pendingCount(ctx.db, me, t.officeCode),
    })),
    openConflicts: ctx.db.prepare('SELECT count(*) FROM handoff_conflicts WHERE reapplied_at IS NULL').pluck().get() as number,
    duplicateGroups: findDuplicates(ctx).length,
  };
}

function decode(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}

function previewIdentity(ctx: CoreContext, base64: string): IdentityPreview {
  const identity = parseIdentity(decode(base64).toString('utf8'));
  const existing = trustedOffice(ctx.db, identity.officeCode);
  const own = identityFile(ctx);
  return {
    identity,
    alreadyTrusted: existing?.keyId === identity.keyId,
    keyChanged: existing !== null && existing.keyId !== identity.keyId,
    ownFingerprint: own.fingerprint,
  };
}

export const handoffHandlers: DomainHandlers<'handoff'> = {
  'handoff.overview': (_input, ctx) => overview(ctx),
  'handoff.identityFile': (_input, ctx) => {
    const identity = identityFile(ctx);
    return {
      fileName: `DD_identity_${identity.officeCode}.json`,
      mimeType: 'application/json',
      base64: Buffer.from(JSON.stringify(identity, null, 2) + '\n', 'utf8').toString('base64'),
      fingerprint: identity.fingerprint,
    };
  },
  'handoff.inspectIdentity': (input, ctx) => previewIdentity(ctx, input.file.base64),
  'handoff.trust': (input, ctx) => trustIdentity(ctx, parseIdentity(decode(input.file.base64).toString('utf8')), input.replace),
  'handoff.untrust': (input, ctx) => {
    untrust(ctx, input.officeCode);
    return { officeCode: input.officeCode };
  },
  'handoff.drives': () => listDrives(),
  'handoff.export': async (input, ctx) => {
    const result = await exportPackage(ctx, { peer: input.peer, dir: input.dir, passphrase: input.passphrase, jobId: input.jobId });
    if (!input.download) return result;
    return {
      ...result,
      download: { fileName: result.fileName, mimeType: 'application/octet-stream', base64: fs.readFileSync(result.file).toString('base64') },
    };
  },
  'handoff.progress': (input) => progressOf(input.jobId),
  'handoff.inspect': (input, ctx) => inspectPackage(ctx, decode(input.file.base64)),
  'handoff.import': (input, ctx) => {
    const bytes = decode(input.file.base64);
    if (bytes.length === 0) throw new AppError('PACKAGE_INVALID', '文件是空的，不是数据交换包。');
    return importPackage(ctx, bytes, input.file.name, input.passphrase, { jobId: input.jobId });
  },
  'handoff.history': (input, ctx) => listHistory(ctx, input),
  'handoff.historyGet': (input, ctx) => getHistory(ctx, input.id),
  'handoff.conflicts': (input, ctx) => listConflicts(ctx, input),
  'handoff.reapply': (input, ctx) => reapplyConflict(ctx, input.conflictId),
  'handoff.duplicates': (_input, ctx) => findDuplicates(ctx),
  'handoff.merge': (input, ctx) => mergePersons(ctx, input.keepId, input.mergeId),
};
