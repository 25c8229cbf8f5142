import type { Deal } from './deal';
import { findStage, type PipelineDefinition } from './pipeline';

const dayMs = 24 * 60 * 60 * 1000;

// When an open deal goes stale: its idle time passes what its current stage allows. Null when it never will
// (closed, or a stage that does not rot).
export function staleAt(deal: Deal, pipeline: PipelineDefinition): Date | null {
  if (deal.status !== 'open') return null;
  const days = findStage(pipeline, deal.stage)?.rottingDays ?? 0;
  return days > 0 ? new Date(deal.idleSince.getTime() + days * dayMs) : null;
}

export function isStale(deal: Deal, pipeline: PipelineDefinition, now: Date): boolean {
  const at = staleAt(deal, pipeline);
  return at !== null && now.getTime() > at.getTime();
}

// The idle-since bound before which a deal in a stage with `rottingDays` is stale at `now`.
export function staleBefore(rottingDays: number, now: Date): Date {
  return new Date(now.getTime() - rottingDays * dayMs);
}
