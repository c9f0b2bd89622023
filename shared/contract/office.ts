import { z } from 'zod';
import { OFFICE_TYPES, type OfficeType } from '../dictionaries.js';
import { method, noInput } from './define.js';

/** The office that owns this database (县人大常委会 or 乡镇人大). Set once, on first run. */
export interface OfficeIdentity {
  officeType: OfficeType;
  officeCode: string;
  officeName: string;
  /** Random id that changes when the database is created, restored or copied (handoff). */
  epoch: string;
  createdAt: string;
}

export interface AppInfo {
  appVersion: string;
  schemaVersion: number;
  dbPath: string;
  operator: string;
}

export const officeSetupInput = z
  .object({
    officeType: z.enum(OFFICE_TYPES, { error: '请选择单位类型：县级或乡镇' }),
    officeCode: z
      .string()
      .trim()
      .regex(/^\d{6}(\d{3}(\d{3})?)?$/, '行政区划代码应为6位（县）、9位或12位（乡镇）数字'),
    officeName: z.string().trim().min(2, '请填写单位名称，例如：青山镇').max(40, '单位名称不超过40个字'),
  })
  .superRefine((v, ctx) => {
    if (v.officeType === 'township' && v.officeCode.length === 6) {
      ctx.addIssue({ code: 'custom', path: ['officeCode'], message: '乡镇的行政区划代码应为9位或12位数字' });
    }
  });
export type OfficeSetupInput = z.infer<typeof officeSetupInput>;

export const officeContract = {
  'office.get': method(noInput, '本单位信息（未设置时为 null）').returns<OfficeIdentity | null>(),
  'office.setup': method(officeSetupInput, '首次运行：设置本单位').returns<OfficeIdentity>(),
  'app.info': method(noInput, '版本与数据库信息').returns<AppInfo>(),
};
