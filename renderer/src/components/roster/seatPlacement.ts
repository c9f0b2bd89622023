import type { FormRules } from 'element-plus';
import type { Level } from '@shared/dictionaries';
import { maxLength, orNull } from '@/components/forms/fields';

/**
 * Where a seat sits: level, term, township, constituency, certificate, group
 * and station. 新增/编辑代表 and 补选 both ask for it, through SeatPlacementFields.
 */
export interface SeatPlacement {
  level: Level | '';
  term: string;
  township: string;
  constituency: string;
  certificateNo: string;
  groupId: string | null;
  stationId: string | null;
}

export const blankPlacement = (township = ''): SeatPlacement => ({
  level: '',
  term: '',
  township,
  constituency: '',
  certificateNo: '',
  groupId: null,
  stationId: null,
});

export const placementRules: FormRules<SeatPlacement> = {
  level: [{ required: true, message: '请选择代表层级', trigger: 'change' }],
  term: [{ required: true, whitespace: true, message: '请填写届次，例如：第十九届', trigger: ['blur', 'change'] }, maxLength(20, '届次')],
  township: [maxLength(40, '所属乡镇')],
  constituency: [maxLength(60, '选区')],
  certificateNo: [maxLength(30, '代表证号')],
};

/** The placement as the contract takes it (the seat of roster.create, roster.update and roster.byElection). */
export function placementInput(p: SeatPlacement) {
  return {
    level: p.level as Level,
    term: p.term.trim(),
    township: orNull(p.township),
    constituency: orNull(p.constituency),
    certificateNo: orNull(p.certificateNo),
    groupId: p.groupId,
    stationId: p.stationId,
  };
}
