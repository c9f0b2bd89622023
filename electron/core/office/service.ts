import { randomUUID } from 'node:crypto';
import type { AppInfo, OfficeIdentity, OfficeSetupInput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import type { Db } from '../db/connection.js';
import { latestSchemaVersion } from '../db/migrate.js';
import { nowIso } from '../db/repository.js';
import { APP_VERSION } from '../version.js';

interface OfficeRow {
  office_type: OfficeIdentity['officeType'];
  office_code: string;
  office_name: string;
  epoch: string;
  created_at: string;
}

export function readOffice(db: Db): OfficeIdentity | null {
  const row = db.prepare('SELECT * FROM office_identity WHERE id = 1').get() as OfficeRow | undefined;
  if (!row) return null;
  return {
    officeType: row.office_type,
    officeCode: row.office_code,
    officeName: row.office_name,
    epoch: row.epoch,
    createdAt: row.created_at,
  };
}

/** First run: the office is set once; changing it later would break the handoff's identity. */
export function setupOffice(ctx: CoreContext, input: OfficeSetupInput): OfficeIdentity {
  return ctx.repo.transaction(() => {
    const existing = readOffice(ctx.db);
    if (existing) {
      throw new AppError(
        'CONFLICT',
        `本数据库已设置为“${existing.officeName}”（${existing.officeCode}），不能重复设置。如需新建单位，请使用新的数据库文件。`,
      );
    }
    const at = nowIso();
    ctx.db
      .prepare(
        'INSERT INTO office_identity (id, office_type, office_code, office_name, epoch, created_at) VALUES (1, ?, ?, ?, ?, ?)',
      )
      .run(input.officeType, input.officeCode, input.officeName, randomUUID(), at);
    ctx.forgetOffice();
    ctx.repo.audit({
      action: 'setup',
      entity: 'office_identity',
      entityId: input.officeCode,
      summary: `设置本单位：${input.officeName}（${input.officeCode}）`,
      after: input,
    });
    return ctx.requireOffice();
  });
}

export function appInfo(ctx: CoreContext): AppInfo {
  return {
    appVersion: APP_VERSION,
    schemaVersion: latestSchemaVersion(),
    dbPath: ctx.dbPath,
    operator: ctx.operator,
  };
}
