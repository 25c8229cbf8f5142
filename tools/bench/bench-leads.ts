// Leads that qualify under the default rule set (company e-mail domain, company, phone, interest, high priority:
// 85 points of the 60 needed). E-mail and phone are unique per lead, else lead-intake would merge them as one person.
// Posted leads use phones +34 6xxxxxxxx; seeded ones use +34 7xxxxxxxx, so the two never collide.
export function postedLead(tag: string, i: number): Record<string, string> {
  return {
    name: `Bench Lead ${i}`,
    email: `lead-${tag}-${i}@acme-industries.io`,
    phone: `+34 6${String(i % 100_000_000).padStart(8, '0')}`,
    company: 'Acme Industries',
    interest: 'CRM',
    priority: 'high',
  };
}

export function seededPhone(i: number): string {
  return `+3471${String(i % 10_000_000).padStart(7, '0')}`;
}
