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
  // groups and liaison stations, reveal
  leader: '组长', receptionDay: '接待日', seatIds: '成员', field: '查看项目', q: '查找条件',
  // funds and subsidies
  year: '年度', kind: '类别', deputyLevel: '代表层级', unitAmountFen: '每人（每站）金额', unitCount: '人数（站数）',
  budgetFen: '预算金额', fundId: '经费', amountFen: '金额', purpose: '用途', payee: '收款人', voucherNo: '凭证号',
  activityId: '履职活动', approvalReason: '超预算审批事由', approvedBy: '审批人', levels: '代表层级',
  condition: '发放对象', effectiveFrom: '生效日期', standardId: '补贴标准', rateId: '标准金额', period: '发放期间',
  dualSeatRule: '兼任两级代表', monthRule: '计月规则', cutoffDay: '分界日', paySuspended: '暂停期间是否发放',
  prorateYearly: '年度补贴是否折算', batchId: '发放批次', lineId: '发放行',
  // handoff (数据交换)
  peer: '对方单位', dir: '保存位置', passphrase: '交换口令', conflictId: '冲突记录', keepId: '保留的人员', mergeId: '并入的人员',
  // backups, audit log, operators
  officePassphrase: '本单位口令', newPassphrase: '新口令', currentPassphrase: '当前口令', mirrorDir: '第二备份位置',
  file: '文件', confirm: '确认', toMirror: '复制到第二备份位置', from: '开始日期', to: '结束日期', action: '操作',
  operator: '操作员', entity: '对象', entityId: '记录', password: '密码',
  // performance scoring (履职积分) and activities
  type: '活动类型', title: '名称', organiser: '组织单位', place: '活动地点', attendance: '出勤情况', text: '姓名或代表证号',
  ruleSetId: '积分规则', code: '项目编码', category: '类别', activityTypes: '计分活动类型', firstPoints: '首次分值',
  furtherPoints: '每增加一次', cap: '本期上限', leavePoints: '请假分值', absentPoints: '缺席分值', cosignPoints: '附议每件',
  cosignCap: '附议上限', base: '基础分', floor: '总分下限', grades: '等级', min: '最低分', preset: '预设', copyFromId: '复制的规则',
  requireReview: '须审核', bottomN: '末位人数', bottomRuns: '连续期数', below: '预警分数线', points: '分值',
  leadSeatId: '领衔代表', cosignerSeatIds: '附议代表', number: '建议编号', decision: '审核结果', itemIds: '项目顺序',
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
