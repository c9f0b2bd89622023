import { ref } from 'vue';
import type { GroupRow, RuleSetSummary, StationRow } from '@shared/contract/index';
import { LEVEL_LABELS, LEVELS } from '@shared/dictionaries';
import { parsePeriod } from '@shared/scoring/period';
import { call, showError } from '@/api/client';

export const LEVEL_OPTIONS = LEVELS.map((value) => ({ value, label: LEVEL_LABELS[value] }));

/** What the scoring screens offer in their filters: periods with rules, townships, groups, stations. */
export function useScoringChoices() {
  const ruleSets = ref<RuleSetSummary[]>([]);
  const periods = ref<{ value: string; label: string }[]>([]);
  const townships = ref<string[]>([]);
  const groups = ref<GroupRow[]>([]);
  const stations = ref<StationRow[]>([]);

  async function loadChoices(): Promise<void> {
    try {
      const [sets, roster, g, s] = await Promise.all([
        call('scoring.ruleSets', {}),
        call('roster.choices', {}),
        call('groups.list', { pageSize: 500 }),
        call('stations.list', { pageSize: 500 }),
      ]);
      ruleSets.value = sets;
      const ids = [...new Set(sets.filter((r) => r.status !== 'draft').map((r) => r.period))];
      if (ids.length === 0) ids.push(String(new Date().getFullYear()));
      periods.value = ids.map((id) => ({ value: id, label: parsePeriod(id)?.label ?? id }));
      townships.value = roster.townships;
      groups.value = g.rows;
      stations.value = s.rows;
    } catch (err) {
      showError(err);
    }
  }

  /** The newest period that has rules in force or closed. */
  const defaultPeriod = () => periods.value[0]?.value ?? String(new Date().getFullYear());

  return { ruleSets, periods, townships, groups, stations, loadChoices, defaultPeriod };
}
