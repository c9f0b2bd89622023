import type { DomainHandlers } from '../handlers.js';
import { importRosterBuffer } from './import/index.js';
import { importFieldInfo, rosterImportTemplate } from './import/template.js';
import { byElection, endSeat, resignSeat, restoreSeat, suspendSeat } from './lifecycle.js';
import {
  GROUPS,
  STATIONS,
  createOrg,
  listGroups,
  listStations,
  orgMembers,
  removeOrg,
  setOrgMembers,
  updateOrg,
} from './organisations.js';
import { revealField } from './reveal.js';
import { createSeat, getSeat, listSeats, removeSeat, rosterChoices, updateSeat } from './service.js';

export const rosterHandlers: DomainHandlers<'roster'> = {
  'roster.list': (input, ctx) => listSeats(ctx, input),
  'roster.choices': (_input, ctx) => rosterChoices(ctx),
  'roster.get': (input, ctx) => getSeat(ctx, input.seatId),
  'roster.create': (input, ctx) => {
    ctx.requireOffice();
    return createSeat(ctx, input.person, input.seat);
  },
  'roster.update': (input, ctx) => updateSeat(ctx, input.seatId, input.person, input.seat),
  'roster.remove': (input, ctx) => removeSeat(ctx, input.seatId),
  'roster.reveal': (input, ctx) => revealField(ctx, input.personId, input.field),
  'roster.byElection': (input, ctx) => byElection(ctx, input),
  'roster.suspend': (input, ctx) => suspendSeat(ctx, input),
  'roster.restore': (input, ctx) => restoreSeat(ctx, input),
  'roster.endSeat': (input, ctx) => endSeat(ctx, input),
  'roster.resign': (input, ctx) => resignSeat(ctx, input),
  'roster.importPreview': ({ file, ...options }, ctx) =>
    importRosterBuffer(ctx, Buffer.from(file.base64, 'base64'), file.name, { ...options, dryRun: true, allowNothing: true }),
  'roster.importApply': ({ file, ...options }, ctx) =>
    importRosterBuffer(ctx, Buffer.from(file.base64, 'base64'), file.name, { ...options, dryRun: false }),
  'roster.importFields': () => importFieldInfo(),
  'roster.importTemplate': () => rosterImportTemplate(),
};

const groupColumns = (g: { name: string; level?: string | null; township?: string | null; leader?: string | null; note?: string | null }) => ({
  name: g.name,
  level: g.level ?? null,
  township: g.township ?? null,
  leader: g.leader ?? null,
  note: g.note ?? null,
});

export const groupsHandlers: DomainHandlers<'groups'> = {
  'groups.list': (input, ctx) => listGroups(ctx, input),
  'groups.create': (input, ctx) => createOrg(ctx, GROUPS, groupColumns(input)),
  'groups.update': ({ id, ...input }, ctx) => updateOrg(ctx, GROUPS, id, groupColumns(input)),
  'groups.remove': (input, ctx) => removeOrg(ctx, GROUPS, input.id),
  'groups.members': (input, ctx) => orgMembers(ctx, GROUPS, input.groupId),
  'groups.setMembers': (input, ctx) => setOrgMembers(ctx, GROUPS, input.groupId, input.seatIds),
};

const stationColumns = (s: {
  name: string;
  township?: string | null;
  address?: string | null;
  receptionDay?: string | null;
  leader?: string | null;
  phone?: string | null;
  note?: string | null;
}) => ({
  name: s.name,
  township: s.township ?? null,
  address: s.address ?? null,
  reception_day: s.receptionDay ?? null,
  leader: s.leader ?? null,
  phone: s.phone ?? null,
  note: s.note ?? null,
});

export const stationsHandlers: DomainHandlers<'stations'> = {
  'stations.list': (input, ctx) => listStations(ctx, input),
  'stations.create': (input, ctx) => createOrg(ctx, STATIONS, stationColumns(input)),
  'stations.update': ({ id, ...input }, ctx) => updateOrg(ctx, STATIONS, id, stationColumns(input)),
  'stations.remove': (input, ctx) => removeOrg(ctx, STATIONS, input.id),
  'stations.members': (input, ctx) => orgMembers(ctx, STATIONS, input.stationId),
  'stations.setMembers': (input, ctx) => setOrgMembers(ctx, STATIONS, input.stationId, input.seatIds),
};
