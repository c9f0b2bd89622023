import type { DomainHandlers } from '../handlers.js';
import {
  listAdjustments,
  listSuggestions,
  pendingRecords,
  removeAdjustment,
  removeSuggestion,
  reviewRecords,
  saveAdjustment,
  saveSuggestion,
} from './records.js';
import {
  activityTypes,
  addParticipants,
  createActivity,
  getActivity,
  listActivities,
  removeActivity,
  removeParticipants,
  setAttendance,
  updateActivity,
} from './service.js';
import { importSignIn, signInTemplate } from './signIn.js';

export const activitiesHandlers: DomainHandlers<'activities'> = {
  'activities.types': (_input, ctx) => activityTypes(ctx),
  'activities.list': (input, ctx) => listActivities(ctx, input),
  'activities.get': (input, ctx) => getActivity(ctx, input.id),
  'activities.create': (input, ctx) => createActivity(ctx, input),
  'activities.update': (input, ctx) => updateActivity(ctx, input.id, input),
  'activities.remove': (input, ctx) => removeActivity(ctx, input.id),
  'activities.addParticipants': (input, ctx) => addParticipants(ctx, input),
  'activities.setAttendance': (input, ctx) => setAttendance(ctx, input.activityId, input.seatIds, input.attendance),
  'activities.removeParticipants': (input, ctx) => removeParticipants(ctx, input.activityId, input.seatIds),
  'activities.importSignIn': (input, ctx) => importSignIn(ctx, input.file, input.dryRun),
  'activities.signInTemplate': (_input, ctx) => signInTemplate(ctx),
  'activities.suggestions': (input, ctx) => listSuggestions(ctx, input),
  'activities.suggestionSave': (input, ctx) => saveSuggestion(ctx, input),
  'activities.suggestionRemove': (input, ctx) => removeSuggestion(ctx, input.id),
  'activities.adjustments': (input, ctx) => listAdjustments(ctx, input),
  'activities.adjustmentSave': (input, ctx) => saveAdjustment(ctx, input),
  'activities.adjustmentRemove': (input, ctx) => removeAdjustment(ctx, input.id),
  'activities.pending': (_input, ctx) => pendingRecords(ctx),
  'activities.review': (input, ctx) => reviewRecords(ctx, input.items, input.decision),
};
