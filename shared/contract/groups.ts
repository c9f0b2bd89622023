import { z } from 'zod';
import { LEVELS, type Level } from '../dictionaries.js';
import { method, pageInput, optionalText, type Page } from './define.js';
import type { SeatRow } from './roster.js';

/**
 * 代表小组 and 代表联络站: deputies are organised into groups and enter
 * liaison stations. Membership is the seat's group_id / station_id, so a
 * seat belongs to at most one group and one station.
 */

const name = (label: string) => z.string().trim().min(1, `请填写${label}名称`).max(60, `${label}名称不超过60个字`);
const uuid = (label: string) => z.string().uuid(`${label}编号无效`);

export const groupFields = z.object({
  name: name('代表小组'),
  /** The deputies' level when the group is of one level only (县级代表小组); empty when mixed. */
  level: z.enum(LEVELS, { error: '请选择代表层级' }).nullable().optional(),
  township: optionalText(40, '所属乡镇'),
  leader: optionalText(30, '组长'),
  note: optionalText(500, '备注'),
});
export type GroupFields = z.input<typeof groupFields>;

export const stationFields = z.object({
  name: name('联络站'),
  township: optionalText(40, '所属乡镇'),
  address: optionalText(100, '地址'),
  /** 接待日, e.g. 每月15日 */
  receptionDay: optionalText(40, '接待日'),
  /** 负责人 */
  leader: optionalText(30, '负责人'),
  /** 联系电话: the station's number for constituents (not personal data, shown in full). */
  phone: optionalText(40, '联系电话'),
  note: optionalText(500, '备注'),
});
export type StationFields = z.input<typeof stationFields>;

const listInput = z.object({
  q: z.string().trim().max(50).optional(),
  township: z.string().trim().max(40).optional(),
  ...pageInput,
});

export interface GroupRow {
  id: string;
  name: string;
  level: Level | null;
  township: string | null;
  leader: string | null;
  note: string | null;
  /** Seats in office (current or suspended) assigned to the group. */
  memberCount: number;
}

export interface StationRow {
  id: string;
  name: string;
  township: string | null;
  address: string | null;
  receptionDay: string | null;
  leader: string | null;
  phone: string | null;
  note: string | null;
  memberCount: number;
}

export interface MembershipChange {
  added: number;
  removed: number;
  /** Added seats that were in another group (station) before. */
  moved: number;
}

/** Members are set as a whole list of seats in office; seats that ended keep their old assignment as history. */
const seatIds = z.array(uuid('席位')).max(2000, '一次最多设置2000名成员');

export const groupsContract = {
  'groups.list': method(listInput, '代表小组列表（含成员人数）').returns<Page<GroupRow>>(),
  'groups.create': method(groupFields, '新建代表小组').returns<{ id: string }>(),
  'groups.update': method(groupFields.extend({ id: uuid('代表小组') }), '修改代表小组').returns<{ id: string }>(),
  'groups.remove': method(z.object({ id: uuid('代表小组') }), '删除代表小组（须先移出全部成员）').returns<{ id: string }>(),
  'groups.members': method(z.object({ groupId: uuid('代表小组') }), '代表小组成员（在任）').returns<SeatRow[]>(),
  'groups.setMembers': method(
    z.object({ groupId: uuid('代表小组'), seatIds }),
    '设置代表小组成员',
  ).returns<MembershipChange>(),
};

export const stationsContract = {
  'stations.list': method(listInput, '代表联络站列表（含进站代表人数）').returns<Page<StationRow>>(),
  'stations.create': method(stationFields, '新建代表联络站').returns<{ id: string }>(),
  'stations.update': method(stationFields.extend({ id: uuid('联络站') }), '修改代表联络站').returns<{ id: string }>(),
  'stations.remove': method(z.object({ id: uuid('联络站') }), '删除代表联络站（须先移出全部进站代表）').returns<{ id: string }>(),
  'stations.members': method(z.object({ stationId: uuid('联络站') }), '进站代表（在任）').returns<SeatRow[]>(),
  'stations.setMembers': method(
    z.object({ stationId: uuid('联络站'), seatIds }),
    '设置进站代表',
  ).returns<MembershipChange>(),
};
