import type { GroupFields, GroupRow, MembershipChange, Page, SeatRow, StationFields, StationRow } from '@shared/contract/index';
import { call } from '@/api/client';

/**
 * 代表小组 and 代表联络站 share their screens; this is the one place that
 * knows which contract methods each uses.
 */
export type OrgKindName = 'groups' | 'stations';
export type OrgRow = GroupRow | StationRow;
export type OrgFields = GroupFields & StationFields;

export interface OrgApi {
  kind: OrgKindName;
  /** 代表小组 / 代表联络站 */
  label: string;
  /** 成员 / 进站代表 */
  members: string;
  list(input: { q?: string; township?: string; page?: number; pageSize?: number }): Promise<Page<OrgRow>>;
  create(fields: OrgFields): Promise<{ id: string }>;
  update(id: string, fields: OrgFields): Promise<{ id: string }>;
  remove(id: string): Promise<{ id: string }>;
  memberList(id: string): Promise<SeatRow[]>;
  setMembers(id: string, seatIds: string[]): Promise<MembershipChange>;
}

const stationFields = (f: OrgFields): StationFields => ({
  name: f.name,
  township: f.township,
  address: f.address,
  receptionDay: f.receptionDay,
  leader: f.leader,
  phone: f.phone,
  note: f.note,
});

export const ORG_APIS: Record<OrgKindName, OrgApi> = {
  groups: {
    kind: 'groups',
    label: '代表小组',
    members: '成员',
    list: (input) => call('groups.list', input),
    create: (f) => call('groups.create', { name: f.name, level: f.level, township: f.township, leader: f.leader, note: f.note }),
    update: (id, f) => call('groups.update', { id, name: f.name, level: f.level, township: f.township, leader: f.leader, note: f.note }),
    remove: (id) => call('groups.remove', { id }),
    memberList: (id) => call('groups.members', { groupId: id }),
    setMembers: (id, seatIds) => call('groups.setMembers', { groupId: id, seatIds }),
  },
  stations: {
    kind: 'stations',
    label: '代表联络站',
    members: '进站代表',
    list: (input) => call('stations.list', input),
    create: (f) => call('stations.create', stationFields(f)),
    update: (id, f) => call('stations.update', { id, ...stationFields(f) }),
    remove: (id) => call('stations.remove', { id }),
    memberList: (id) => call('stations.members', { stationId: id }),
    setMembers: (id, seatIds) => call('stations.setMembers', { stationId: id, seatIds }),
  },
};
