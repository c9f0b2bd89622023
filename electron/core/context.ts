import os from 'node:os';
import type { OfficeIdentity } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { openDatabase, type Db } from './db/connection.js';
import { Repository } from './db/repository.js';
import { readOffice } from './office/service.js';

/**
 * Everything a handler needs: the open database, the repository every write
 * goes through, and who is working. One per database file per door.
 */
export class CoreContext {
  readonly db: Db;
  readonly dbPath: string;
  readonly repo: Repository;
  operator: string;
  private cachedOffice: OfficeIdentity | null | undefined;

  constructor(dbPath: string, options: { operator?: string } = {}) {
    const opened = openDatabase(dbPath);
    this.db = opened.db;
    this.dbPath = opened.path;
    this.operator = options.operator ?? defaultOperator();
    this.repo = new Repository(
      this.db,
      () => {
        const office = this.office();
        return office ? { officeCode: office.officeCode, epoch: office.epoch } : null;
      },
      () => this.operator,
    );
  }

  office(): OfficeIdentity | null {
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
