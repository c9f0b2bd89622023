import type { DomainHandlers } from '../handlers.js';
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
};
