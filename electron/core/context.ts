import os from 'node:os';
import type { OfficeIdentity } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { noticeCopiedDatabase } from './backup/identity.js';
import { closeDatabase, openDatabase, type DatabaseDamage, type Db, type OpenedDatabase } from './db/connection.js';
import { Repository } from './db/repository.js';
import { endSnapshots } from './db/snapshot.js';
import { readOffice } from './office/service.js';

/**
 * Everything a handler needs: the open database, the repository every write
 * goes through, and who is working. One per database file per door.
 */
export class CoreContext {
  readonly dbPath: string;
  operator: string;
  private opened!: OpenedDatabase;
  private repository!: Repository;
  private cachedOffice: OfficeIdentity | null | undefined;

  constructor(dbPath: string, options: { operator?: string } = {}) {
    this.attach(openDatabase(dbPath));
    this.dbPath = this.opened.path;
    this.operator = options.operator ?? defaultOperator();
    // A copied or moved file gets a new handoff epoch before anything is written with the old one.
    noticeCopiedDatabase(this);
  }

  get db(): Db {
    return this.opened.db;
  }

  get repo(): Repository {
    return this.repository;
  }

  /** Set when the file failed its integrity check on open: read-only, or not readable at all. */
  get damage(): DatabaseDamage | null {
    return this.opened.damage;
  }

  private attach(opened: OpenedDatabase): void {
    this.opened = opened;
    this.cachedOffice = undefined;
    this.repository = new Repository(
      opened.db,
      () => {
        const office = this.office();
        return office ? { officeCode: office.officeCode, epoch: office.epoch } : null;
      },
      () => this.operator,
    );
  }

  /**
   * Closes the database, lets `replaceFile` swap the file (a restore), and
   * opens it again (migrating an older one). Not inside a transaction.
   */
  reopen(replaceFile?: () => void): void {
    if (this.db.inTransaction) throw new Error('cannot reopen the database inside a transaction');
    // An export reading on a snapshot would hold the checkpoint up: end it first.
    endSnapshots(this.dbPath);
    if (this.db.open && !this.db.readonly && !this.damage) this.db.pragma('wal_checkpoint(TRUNCATE)');
    closeDatabase(this.dbPath);
    let failure: unknown = null;
    try {
      replaceFile?.();
    } catch (err) {
      failure = err;
    }
    // Open again even when the swap failed (a locked or vanished file): the old
    // database is still there, and a closed connection would fail every later
    // request until the program restarts.
    this.attach(openDatabase(this.dbPath));
    if (failure) throw failure;
  }

  office(): OfficeIdentity | null {
    // An unreadable database has no office to read; the doors offer a restore.
    if (this.damage && !this.damage.readable) return null;
    if (this.cachedOffice === undefined) this.cachedOffice = readOffice(this.db);
    return this.cachedOffice;
  }

  requireOffice(): OfficeIdentity {
    const office = this.office();
    if (!office) throw new AppError('NOT_INITIALIZED', '尚未设置本单位信息，请先完成首次运行设置（单位类型、行政区划代码、单位名称）。');
    return office;
  }

  /** Call after anything that changes office_identity. */
  forgetOffice(): void {
    this.cachedOffice = undefined;
  }
}

function defaultOperator(): string {
  try {
    return os.userInfo().username || '操作员';
  } catch {
    return '操作员';
  }
}
