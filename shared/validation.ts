import type { z } from 'zod';

/** Field names as the forms and spreadsheets say them. */
export const FIELD_LABELS: Record<string, string> = {
  name: '姓名', gender: '性别', ethnicity: '民族', birthDate: '出生年月', nativePlace: '籍贯',
  politicalAffiliation: '政治面貌', education: '学历', degree: '学位', workUnit: '工作单位及职务',
  composition: '代表构成', phone: '联系电话', address: '通讯地址', idNumber: '公民身份号码',
  hasFixedIncome: '是否有固定收入', bankName: '开户行', bankAccount: '银行账号', note: '备注',
  level: '层级', term: '届次', constituency: '选区', township: '所属乡镇', certificateNo: '代表证号',
  groupId: '代表小组', stationId: '代表联络站', isReelected: '是否连任', startDate: '当选日期',
  startMethod: '当选方式', endDate: '终止日期', endReason: '终止原因', officeType: '单位类型',
  officeCode: '行政区划代码', officeName: '单位名称', page: '页码', pageSize: '每页条数',
  seatId: '席位', personId: '人员', date: '日期', documentNo: '文号', reason: '原因',
};

/** One Chinese line per problem: 「字段」：what is wrong. */
export function describeZodError(error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const field = [...issue.path].reverse().find((p) => typeof p === 'string') as string | undefined;
    const label = field ? (FIELD_LABELS[field] ?? field) : '';
    const message = /[\u4e00-\u9fa5]/.test(issue.message) ? issue.message : '填写的内容格式不正确';
    return label ? `「${label}」：${message}` : message;
  });
  return [...new Set(lines)].join('；');
}
