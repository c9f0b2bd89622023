/**
 * Backups for the rest of the core. Other domains call `backupBefore` before
 * a risky operation (before its transaction, never inside it):
 *
 *   import { backupBefore } from '../backup/index.js';
 *   backupBefore(ctx, 'import', `代表名册导入：${file.name}`);
 *   ctx.repo.transaction(() => { … });
 */
export { backupBefore, listBackups } from './service.js';
export { ensureDailyBackup } from './daily.js';
export { verifyOfficePassphrase } from './officeKey.js';
export { renewEpoch } from './identity.js';
export { explainForDamage } from './damage.js';
