// How many leads reached each step of the funnel.
export interface Funnel {
  leadsCaptured: number;
  leadsQualified: number;
  leadsDisqualified: number;
  dealsOpened: number;
  dealsWon: number;
  dealsLost: number;
}

// Leads captured in [from, to), from one source when given.
export interface FunnelQuery {
  from?: Date;
  to?: Date;
  source?: string;
}
