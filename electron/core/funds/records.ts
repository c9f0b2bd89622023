import type { FundEntryRow, FundKind, FundSummary } from '../../../shared/contract/funds.js';
import type { Level } from '../../../shared/dictionaries.js';

/** Row shapes as stored and their camelCase records. */
export interface FundDbRow {
  id: string;
  year: number;
  name: string;
  kind: FundKind;
  deputy_level: Level | null;
  unit_amount_fen: number | null;
  unit_count: number | null;
  budget_fen: number;
  note: string | null;
  spent_fen?: number;
  entry_count?: number;
  over_budget_count?: number;
}

export interface EntryDbRow {
  id: string;
  fund_id: string;
  fund_name: string;
  date: string;
  amount_fen: number;
  purpose: string;
  payee: string;
  voucher_no: string | null;
  activity_id: string | null;
  activity_date: string | null;
  activity_title: string | null;
  station_id: string | null;
  station_name: string | null;
  group_id: string | null;
  group_name: string | null;
  over_budget: number;
  approval_reason: string | null;
  approved_by: string | null;
  note: string | null;
}

export function toFundSummary(f: FundDbRow): FundSummary {
  const spent = f.spent_fen ?? 0;
  return {
    id: f.id,
    year: f.year,
    name: f.name,
    kind: f.kind,
    deputyLevel: f.deputy_level,
    unitAmountFen: f.unit_amount_fen,
    unitCount: f.unit_count,
    budgetFen: f.budget_fen,
    spentFen: spent,
    balanceFen: f.budget_fen - spent,
    entryCount: f.entry_count ?? 0,
    overBudgetCount: f.over_budget_count ?? 0,
    note: f.note,
  };
}

export function toEntryRow(e: EntryDbRow): FundEntryRow {
  return {
    id: e.id,
    fundId: e.fund_id,
    fundName: e.fund_name,
    date: e.date,
    amountFen: e.amount_fen,
    purpose: e.purpose,
    payee: e.payee,
    voucherNo: e.voucher_no,
    activityId: e.activity_id,
    activityTitle: e.activity_title ? `${e.activity_date ?? ''} ${e.activity_title}`.trim() : null,
    stationId: e.station_id,
    stationName: e.station_name,
    groupId: e.group_id,
    groupName: e.group_name,
    overBudget: e.over_budget === 1,
    approvalReason: e.approval_reason,
    approvedBy: e.approved_by,
    note: e.note,
  };
}

/** Funds with their spending, for one year (or one fund). */
export const FUND_SELECT = `
  SELECT f.*, coalesce(sum(e.amount_fen), 0) AS spent_fen, count(e.id) AS entry_count,
         coalesce(sum(e.over_budget), 0) AS over_budget_count
  FROM funds f LEFT JOIN fund_entries e ON e.fund_id = f.id AND e.deleted_at IS NULL`;

export const ENTRY_FROM = `
  FROM fund_entries e
  JOIN funds f ON f.id = e.fund_id
  LEFT JOIN liaison_stations st ON st.id = e.station_id
  LEFT JOIN deputy_groups g ON g.id = e.group_id
  LEFT JOIN activities a ON a.id = e.activity_id`;

export const ENTRY_COLUMNS = `e.*, f.name AS fund_name, st.name AS station_name, g.name AS group_name,
  a.date AS activity_date, a.title AS activity_title`;
