import type { Activity } from './activity';
import type { Deal } from './deal';

// The title an erased lead's deal shows instead of one naming the person or their company.
export const erasedDealTitle = 'Erased lead / Lead borrado';

// A deal whose lead's person was erased: its free text, which may name them (title, loss note), is gone; its value,
// stages, history, owner and outcome stay, so the pipeline's figures stay. Undefined when erased already.
export function eraseDeal(deal: Deal, at: Date): Deal | undefined {
  if (deal.erasedAt) return undefined;
  return { ...deal, title: erasedDealTitle, lostNote: '', erasedAt: at, version: deal.version + 1 };
}

// An interaction kept as a fact (its kind, time, who recorded it and a proposal's price) without its words.
export function eraseActivity(activity: Activity): Activity {
  return { ...activity, subject: '', notes: '', proposal: activity.proposal && { ...activity.proposal, terms: '' } };
}
