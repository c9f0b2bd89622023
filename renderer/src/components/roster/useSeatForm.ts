import { ElMessage, type FormRules } from 'element-plus';
import { computed, reactive, ref } from 'vue';
import type { InputOf, SeatDetail } from '@shared/contract/index';
import type { StartMethod } from '@shared/dictionaries';
import { checkIdNumber } from '@shared/idcard';
import { call, showError } from '@/api/client';
import { maxLength as max, orNull } from '@/components/forms/fields';
import { useFormSubmit } from '@/components/forms/useFormDialog';
import { useOfficeStore } from '@/stores/office';
import { blankPlacement, placementInput, placementRules, type SeatPlacement } from './seatPlacement';

type PersonInput = InputOf<'roster.create'>['person'];
type SeatInput = InputOf<'roster.create'>['seat'];

/** 是 / 否 / not recorded, for the yes-no radios. */
export type YesNo = 'yes' | 'no' | '';

export interface SeatForm extends SeatPlacement {
  name: string;
  gender: '' | '男' | '女';
  ethnicity: string;
  birthDate: string;
  nativePlace: string;
  politicalAffiliation: string;
  education: string;
  degree: string;
  workUnit: string;
  composition: string;
  phone: string;
  idNumber: string;
  address: string;
  hasFixedIncome: YesNo;
  bankName: string;
  bankAccount: string;
  personNote: string;
  isReelected: YesNo;
  startDate: string;
  startMethod: StartMethod | '';
  /** 补选的文号, only when a new deputy is added as by-elected. */
  documentNo: string;
  seatNote: string;
}

const blankForm = (): SeatForm => ({
  name: '',
  gender: '',
  ethnicity: '',
  birthDate: '',
  nativePlace: '',
  politicalAffiliation: '',
  education: '',
  degree: '',
  workUnit: '',
  composition: '',
  phone: '',
  idNumber: '',
  address: '',
  hasFixedIncome: '',
  bankName: '',
  bankAccount: '',
  personNote: '',
  ...blankPlacement(),
  isReelected: '',
  startDate: '',
  startMethod: '',
  documentNo: '',
  seatNote: '',
});

const fromYesNo = (v: YesNo) => (v === '' ? null : v === 'yes');
const toYesNo = (v: boolean | null): YesNo => (v === null ? '' : v ? 'yes' : 'no');
const PHONE = /^[0-9+\-\s()（）转]{7,20}$/;
const BANK_ACCOUNT = /^[0-9\s]{8,40}$/;

/** Form state and saving for one seat and its person; the dialog is only layout. */
export function useSeatForm(onSaved: () => void) {
  const office = useOfficeStore();
  const { formRef, saving, submit: submitForm } = useFormSubmit();
  const form = reactive<SeatForm>(blankForm());
  const loading = ref(false);
  /** On edit: what the core returned (masked values stay out of the inputs). */
  const original = ref<SeatDetail | null>(null);
  const isEdit = computed(() => original.value !== null);
  /** A new deputy who came in by by-election is registered through roster.byElection, with its 文号. */
  const isByElection = computed(() => !isEdit.value && form.startMethod === 'by_election');

  const rules: FormRules<SeatForm> = {
    ...placementRules,
    name: [{ required: true, whitespace: true, message: '请填写姓名', trigger: 'blur' }, max(30, '姓名')],
    nativePlace: [max(40, '籍贯')],
    workUnit: [max(100, '工作单位及职务')],
    address: [max(100, '通讯地址')],
    bankName: [max(60, '开户行')],
    documentNo: [max(60, '文号')],
    personNote: [max(500, '备注')],
    seatNote: [max(500, '备注')],
    startDate: [
      {
        trigger: 'change',
        validator: (_r, value: string, done) =>
          isByElection.value && !value ? done(new Error('补选产生的代表请填写补选日期')) : done(),
      },
    ],
    phone: [
      {
        trigger: 'blur',
        validator: (_r, value: string, done) =>
          !value.trim() || PHONE.test(value.trim())
            ? done()
            : done(new Error('联系电话应为手机号或固定电话，例如：13812345678 或 0731-23456789')),
      },
    ],
    bankAccount: [
      {
        trigger: 'blur',
        validator: (_r, value: string, done) =>
          !value.trim() || BANK_ACCOUNT.test(value.trim()) ? done() : done(new Error('银行账号应为8至40位数字（可含空格）')),
      },
    ],
    idNumber: [
      {
        trigger: 'blur',
        validator: (_r, value: string, done) => {
          if (!value.trim()) return done();
          const check = checkIdNumber(value);
          if (!check.ok) return done(new Error(check.message));
          // The number carries sex and birth date; fill them in when the clerk has not.
          if (!form.gender) form.gender = check.info.gender;
          if (!form.birthDate) form.birthDate = check.info.birthDate.slice(0, 7);
          done();
        },
      },
    ],
  };

  async function open(seatId: string | null, defaults: { terms: string[] }) {
    Object.assign(form, blankForm());
    original.value = null;
    formRef.value?.clearValidate();
    if (!seatId) {
      const township = office.office?.officeType === 'township';
      form.level = township ? 'township' : 'county';
      form.township = township ? (office.office?.officeName ?? '') : '';
      form.startMethod = 'general';
      if (defaults.terms.length === 1) form.term = defaults.terms[0]!;
      return;
    }
    loading.value = true;
    try {
      const detail = await call('roster.get', { seatId });
      original.value = detail;
      const p = detail.person;
      const s = detail.seat;
      Object.assign(form, {
        name: p.name,
        gender: p.gender === '男' || p.gender === '女' ? p.gender : '',
        ethnicity: p.ethnicity ?? '',
        birthDate: p.birthDate?.slice(0, 7) ?? '',
        nativePlace: p.nativePlace ?? '',
        politicalAffiliation: p.politicalAffiliation ?? '',
        education: p.education ?? '',
        degree: p.degree ?? '',
        workUnit: p.workUnit ?? '',
        composition: p.composition ?? '',
        address: p.address ?? '',
        hasFixedIncome: toYesNo(p.hasFixedIncome),
        bankName: p.bankName ?? '',
        personNote: p.note ?? '',
        level: s.level,
        term: s.term,
        township: s.township ?? '',
        constituency: s.constituency ?? '',
        certificateNo: s.certificateNo ?? '',
        groupId: s.groupId,
        stationId: s.stationId,
        isReelected: toYesNo(s.isReelected),
        startDate: s.startDate ?? '',
        startMethod: s.startMethod ?? '',
        seatNote: s.note ?? '',
      });
    } catch (err) {
      showError(err);
    } finally {
      loading.value = false;
    }
  }

  /** The picker shows months; a full date (from the ID number) is kept whenever the month agrees with it. */
  function birthDate(): string | null {
    if (!form.birthDate) return null;
    const check = form.idNumber.trim() ? checkIdNumber(form.idNumber) : null;
    const full = check?.ok ? check.info.birthDate : original.value?.person.birthDate;
    return full?.startsWith(form.birthDate) ? full : form.birthDate;
  }

  function personInput(): PersonInput {
    const person: PersonInput = {
      name: form.name.trim(),
      gender: form.gender || null,
      ethnicity: orNull(form.ethnicity),
      birthDate: birthDate(),
      nativePlace: orNull(form.nativePlace),
      politicalAffiliation: orNull(form.politicalAffiliation),
      education: orNull(form.education),
      degree: orNull(form.degree),
      workUnit: orNull(form.workUnit),
      composition: orNull(form.composition),
      address: orNull(form.address),
      hasFixedIncome: fromYesNo(form.hasFixedIncome),
      bankName: orNull(form.bankName),
      note: orNull(form.personNote),
    };
    // Masked on edit: send only what the clerk typed; omitted means unchanged.
    if (form.phone.trim()) person.phone = form.phone.trim();
    if (form.idNumber.trim()) person.idNumber = form.idNumber.trim();
    if (form.bankAccount.trim()) person.bankAccount = form.bankAccount.trim();
    return person;
  }

  function seatInput(): SeatInput {
    return {
      ...placementInput(form),
      isReelected: fromYesNo(form.isReelected),
      startDate: form.startDate || null,
      startMethod: form.startMethod || null,
      note: orNull(form.seatNote),
    };
  }

  function submit(): Promise<boolean> {
    return submitForm(async () => {
      const person = personInput();
      const seat = seatInput();
      if (original.value) {
        await call('roster.update', { seatId: original.value.seat.id, person, seat });
        ElMessage.success(`已保存代表“${person.name}”的信息`);
      } else if (isByElection.value) {
        const { startDate: _d, startMethod: _m, ...rest } = seat;
        await call('roster.byElection', { person, seat: rest, date: form.startDate, documentNo: orNull(form.documentNo) });
        ElMessage.success(`已登记补选代表“${person.name}”`);
      } else {
        await call('roster.create', { person, seat });
        ElMessage.success(`已新增代表“${person.name}”`);
      }
      onSaved();
    });
  }

  return { formRef, form, rules, loading, saving, original, isEdit, isByElection, open, submit };
}
