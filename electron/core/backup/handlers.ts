import type { DomainHandlers } from '../handlers.js';
import { backupStatus } from './daily.js';
import { checkContext } from './integrity.js';
import { previewBackup, restoreBackup } from './restore.js';
import { acceptUploadedBackup, createManualBackup, listBackups, setOfficePassphrase } from './service.js';
import { setMirrorDir } from './settings.js';

export const backupHandlers: DomainHandlers<'backup'> = {
  'backup.status': (_input, ctx) => backupStatus(ctx),
  'backup.list': (input, ctx) => listBackups(ctx, input.dir),
  'backup.create': (input, ctx) => {
    ctx.requireOffice();
    return createManualBackup(ctx, input.toMirror);
  },
  'backup.preview': (input, ctx) => previewBackup(ctx, input.file, input.officePassphrase),
  'backup.restore': (input, ctx) => restoreBackup(ctx, input.file, input.officePassphrase),
  'backup.upload': (input, ctx) => acceptUploadedBackup(ctx, input.file.name, Buffer.from(input.file.base64, 'base64')),
  'backup.settings': (input, ctx) => {
    ctx.requireOffice();
    setMirrorDir(ctx, input.mirrorDir);
    return backupStatus(ctx);
  },
  'backup.setPassphrase': (input, ctx) => {
    ctx.requireOffice();
    setOfficePassphrase(ctx, input.newPassphrase, input.currentPassphrase);
    return { passphraseSet: true };
  },
  'backup.check': (_input, ctx) => checkContext(ctx),
};
