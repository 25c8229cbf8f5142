import type { LeadFacts } from './lead-facts';

// The lead facts that identify or describe the person, emptied when the person is erased. Tags, priority, channel,
// interest, consent, hints and touchpoint count are no one in particular, and the decision, score and its breakdown
// stay with them.
export const personalLeadFacts = ['name', 'email', 'phone', 'company', 'message', 'jobTitle'] as const satisfies (keyof LeadFacts)[];
