import { ElMessage, type FormRules } from 'element-plus';
import { reactive } from 'vue';
import type { SeatRecord } from '@shared/contract/index';
import { END_REASONS, LEVEL_LABELS, SEAT_EVENT_LABELS } from '@shared/dictionaries';
import { call } from '@/api/client';
import { maxLength, orNull } from '@/components/forms/fields';
import { useFormSubmit } from '@/components/forms/useFormDialog';

export type LifecycleAction = 'suspend' | 'restore' | 'end' | 'resign';

export const ACTION_TITLES: Record<LifecycleAction, string> = {
  suspend: SEAT_EVENT_LABELS.suspended,
  restore: SEAT_EVENT_LABELS.restored,
  end: SEAT_EVENT_LABELS.ended,
  resign: '辞去代表职务',
};

export interface LifecycleForm {
  date: string;
  documentNo: string;
  reason: string;
  note: string;
}

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** One lifecycle action on one seat: the form, its checks and the call. */
export function useLifecycle(onDone: () => void) {
  const { formRef, saving, submit: submitForm } = useFormSubmit();
  const form = reactive<LifecycleForm>({ date: today(), documentNo: '', reason: '', note: '' });

  const rules = (action: LifecycleAction, seat: SeatRecord | null): FormRules<LifecycleForm> => ({
    date: [
      { required: true, message: '请选择日期', trigger: 'change' },
      {
        trigger: 'change',
        validator: (_r, value: string, done) =>
          seat?.startDate && value && value < seat.startDate
            ? done(new Error(`日期不能早于该席位的当选日期 ${seat.startDate}`))
            : done(),
      },
    ],
    reason:
      action === 'suspend'
        ? [{ required: true, whitespace: true, message: '请填写暂停原因', trigger: ['blur', 'change'] }]
        : action === 'end'
          ? [{ required: true, message: '请选择终止原因', trigger: 'change' }]
          : [],
    documentNo: [maxLength(60, '文号')],
    note: [maxLength(500, '说明')],
  });

  function open() {
    Object.assign(form, { date: today(), documentNo: '', reason: '', note: '' });
    formRef.value?.clearValidate();
  }

  function submit(action: LifecycleAction, seat: SeatRecord, personName: string): Promise<boolean> {
    return submitForm(async () => {
      const common = { seatId: seat.id, date: form.date, documentNo: orNull(form.documentNo), note: orNull(form.note) };
      if (action === 'suspend') await call('roster.suspend', { ...common, reason: form.reason.trim() });
      else if (action === 'restore') await call('roster.restore', { ...common, reason: orNull(form.reason) });
      else if (action === 'end') await call('roster.endSeat', { ...common, reason: form.reason as (typeof END_REASONS)[number] });
      else await call('roster.resign', common);
      ElMessage.success(`已登记：${personName}，${seat.term}${LEVEL_LABELS[seat.level]}人大代表，${ACTION_TITLES[action]}`);
      onDone();
    });
  }

  return { formRef, form, saving, rules, open, submit };
}
