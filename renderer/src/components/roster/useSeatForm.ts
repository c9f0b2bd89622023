import { ElMessage, type FormInstance, type FormRules } from 'element-plus';
import { computed, reactive, ref } from 'vue';
import type { InputOf, SeatDetail } from '@shared/contract/index';
import type { Level } from '@shared/dictionaries';
import { checkIdNumber } from '@shared/idcard';
import { call, showError } from '@/api/client';
import { useOfficeStore } from '@/stores/office';

type PersonInput = InputOf<'roster.create'>['person'];
type SeatInput = InputOf<'roster.create'>['seat'];

export interface SeatForm {
  name: string;
  gender: '' | '男' | '女';
  ethnicity: string;
  birthDate: string;
  politicalAffiliation: string;
  education: string;
  workUnit: string;
  level: Level | '';
  term: string;
  township: string;
  phone: string;
  idNumber: string;
}

const blankForm = (): SeatForm => ({
  name: '',
  gender: '',
  ethnicity: '',
  birthDate: '',
  politicalAffiliation: '',
  education: '',
  workUnit: '',
  level: '',
  term: '',
  township: '',
  phone: '',
  idNumber: '',
});

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
const PHONE = /^[0-9+\-\s()（）转]{7,20}$/;

/** Form state and saving for one seat; the dialog is only layout. */
export function useSeatForm(onSaved: () => void) {
  const office = useOfficeStore();
  const formRef = ref<FormInstance>();
  const form = reactive<SeatForm>(blankForm());
  const loading = ref(false);
  const saving = ref(false);
  /** On edit: what the core returned, so fields this form does not show are sent back unchanged. */
  const original = ref<SeatDetail | null>(null);
  const isEdit = computed(() => original.value !== null);

  const rules: FormRules<SeatForm> = {
    name: [
      { required: true, whitespace: true, message: '请填写姓名', trigger: 'blur' },
      { max: 30, message: '姓名不超过30个字', trigger: 'blur' },
    ],
    workUnit: [{ max: 100, message: '工作单位及职务不超过100个字', trigger: 'blur' }],
    level: [{ required: true, message: '请选择代表层级', trigger: 'change' }],
    term: [
      { required: true, whitespace: true, message: '请填写届次，例如：第十九届', trigger: ['blur', 'change'] },
      { max: 20, message: '届次不超过20个字', trigger: 'blur' },
    ],
    township: [{ max: 40, message: '所属乡镇不超过40个字', trigger: 'blur' }],
    phone: [
      {
        trigger: 'blur',
        validator: (_r, value: string, done) =>
          !value.trim() || PHONE.test(value.trim())
            ? done()
            : done(new Error('联系电话应为手机号或固定电话，例如：13812345678 或 0731-23456789')),
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
      if (defaults.terms.length === 1) form.term = defaults.terms[0]!;
      return;
    }
    loading.value = true;
    try {
      const detail = await call('roster.get', { seatId });
      original.value = detail;
      const p = detail.person;
      Object.assign(form, {
        name: p.name,
        gender: p.gender === '男' || p.gender === '女' ? p.gender : '',
        ethnicity: p.ethnicity ?? '',
        birthDate: p.birthDate?.slice(0, 7) ?? '',
        politicalAffiliation: p.politicalAffiliation ?? '',
        education: p.education ?? '',
        workUnit: p.workUnit ?? '',
        level: detail.seat.level,
        term: detail.seat.term,
        township: detail.seat.township ?? '',
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
    const p = original.value?.person;
    const person: PersonInput = {
      // Fields this form does not show go back as they were.
      ...(p && {
        nativePlace: p.nativePlace,
        degree: p.degree,
        composition: p.composition,
        address: p.address,
        hasFixedIncome: p.hasFixedIncome,
        bankName: p.bankName,
        note: p.note,
      }),
      name: form.name.trim(),
      gender: form.gender || null,
      ethnicity: orNull(form.ethnicity),
      birthDate: birthDate(),
      politicalAffiliation: orNull(form.politicalAffiliation),
      education: orNull(form.education),
      workUnit: orNull(form.workUnit),
    };
    // Masked on edit: send only what the clerk typed; omitted means unchanged.
    if (form.phone.trim()) person.phone = form.phone.trim();
    if (form.idNumber.trim()) person.idNumber = form.idNumber.trim();
    return person;
  }

  function seatInput(): SeatInput {
    const s = original.value?.seat;
    return {
      ...(s && {
        constituency: s.constituency,
        certificateNo: s.certificateNo,
        groupId: s.groupId,
        stationId: s.stationId,
        isReelected: s.isReelected,
        startDate: s.startDate,
        startMethod: s.startMethod,
        note: s.note,
      }),
      level: form.level as Level,
      term: form.term.trim(),
      township: orNull(form.township),
    };
  }

  async function submit(): Promise<boolean> {
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return false;
    saving.value = true;
    try {
      const person = personInput();
      const seat = seatInput();
      if (original.value) {
        await call('roster.update', { seatId: original.value.seat.id, person, seat });
        ElMessage.success(`已保存代表“${person.name}”的信息`);
      } else {
        await call('roster.create', { person, seat });
        ElMessage.success(`已新增代表“${person.name}”`);
      }
      onSaved();
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { formRef, form, rules, loading, saving, original, isEdit, open, submit };
}
