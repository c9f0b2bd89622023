import type { Change } from './changes.js';

/**
 * Reading a package written by an older app (older schema): each step
 * rewrites changes from schema `to - 1` to `to`, and a package passes every
 * step after its own version. A step returns null to drop a change whose
 * table no longer exists. Columns that did not exist then are simply absent
 * from old changes and keep their defaults; columns since removed are
 * ignored with a warning when the row is written (apply.ts).
 *
 * Add a step here in the same change that renames or reshapes a synced column.
 */
export interface UpgradeStep {
  to: number;
  upgrade(change: Change): Change | null;
}

export const UPGRADES: UpgradeStep[] = [
  // 5: handoff added persons.merged_into; older changes simply lack it.
  { to: 5, upgrade: (c) => c },
  // 6: indexes only. 7: liaison_stations.leader and .phone; older changes simply lack them.
  { to: 6, upgrade: (c) => c },
  { to: 7, upgrade: (c) => c },
];

/** The oldest package schema this app still reads. */
export const OLDEST_READABLE_SCHEMA = 1;

export function upgradeChanges(changes: Change[], fromVersion: number, toVersion: number, steps: UpgradeStep[] = UPGRADES): Change[] {
  let out = changes;
  for (const step of [...steps].sort((a, b) => a.to - b.to)) {
    if (step.to <= fromVersion || step.to > toVersion) continue;
    out = out.map((c) => fresh(step.upgrade(c), c)).filter((c): c is Change => c !== null);
  }
  return out;
}

/** A step that rewrote the fields leaves the parsed copy decoding made stale: dropped, parsed again when needed. */
function fresh(upgraded: Change | null, before: Change): Change | null {
  if (!upgraded || upgraded.fields === before.fields || upgraded.values === undefined) return upgraded;
  const copy = { ...upgraded };
  delete copy.values;
  return copy;
}
