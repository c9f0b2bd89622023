import type { CoreContext } from '../context.js';
import { holdings, seqKey } from './changes.js';

/**
 * What this office holds now, written as one of its own changes (see
 * handoff_knowledge in 0005_handoff.sql and Knowledge in causality.ts): every
 * later change of this office, in this epoch, has seen all of it.
 *
 * Written after applying a package, and when the epoch is renewed (a restore,
 * a copied database): a new epoch starts with no knowledge row, so without
 * one its first changes would count as having seen nothing, not even this
 * office's own changes of the old epoch, and every other office would take
 * them for edits made blind (false conflicts) until the next import.
 */
export function recordKnowledge(ctx: CoreContext): void {
  const me = ctx.requireOffice();
  const held = [...holdings(ctx.db, me.officeCode).values()].sort((a, b) =>
    seqKey(a.origin, a.epoch) < seqKey(b.origin, b.epoch) ? -1 : 1,
  );
  const vv = Object.fromEntries(held.map((h) => [seqKey(h.origin, h.epoch), h.seq]));
  ctx.repo.insert('handoff_knowledge', { office_code: me.officeCode, epoch: me.epoch, vv_json: JSON.stringify(vv) }, { audit: false });
}

/** After a new epoch: the knowledge the new epoch starts from, when there is any. */
export function recordKnowledgeOfNewEpoch(ctx: CoreContext): void {
  const me = ctx.office();
  if (!me) return;
  if (holdings(ctx.db, me.officeCode).size > 0) recordKnowledge(ctx);
}
