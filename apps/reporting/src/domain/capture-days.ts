import { dayNameOf } from './cohort-figures';

// Whole UTC capture days, by their 'YYYY-MM-DD' names: from `first` (included) to `end` (excluded); an unset one
// is open.
export interface CaptureDays {
  first?: string;
  end?: string;
}

// A range of capture instants as the whole UTC days inside it (answered from the day buckets) and the partial days
// at its edges (answered from the journeys captured in them). No whole day inside: the range is all edge.
export interface CaptureRangeParts {
  days?: CaptureDays;
  edges: Array<{ from?: Date; to?: Date }>;
}

const dayMs = 86_400_000;
// The latest instant a Date can hold: a day after it has no name.
const maxMs = 8.64e15;
const dayName = (ms: number) => dayNameOf(new Date(ms));

export function splitByWholeDays(from?: Date, to?: Date): CaptureRangeParts {
  const first = from && Math.ceil(from.getTime() / dayMs) * dayMs;
  const end = to && Math.floor(to.getTime() / dayMs) * dayMs;
  if ((first !== undefined && first > maxMs) || (first !== undefined && end !== undefined && first >= end))
    return { edges: [{ from, to }] };
  const edges: CaptureRangeParts['edges'] = [];
  if (from && first !== undefined && first > from.getTime()) edges.push({ from, to: new Date(first) });
  if (to && end !== undefined && end < to.getTime()) edges.push({ from: new Date(end), to });
  return { days: { first: first === undefined ? undefined : dayName(first), end: end === undefined ? undefined : dayName(end) }, edges };
}
