import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';
import freeEmailDomains from 'free-email-domains';

export type EmailDomainKind = 'company' | 'free' | 'disposable' | 'none';

// Built once: the library's isDisposableEmailDomain() builds this Set of thousands of domains on every call, which
// held scoring to about 700 leads per second (apps/qualification/bench/scoring.bench.ts).
const disposableDomains = disposableEmailBlocklistSet();
const freeDomains = new Set<string>(freeEmailDomains);

// Classifies an address by its domain with maintained public lists: disposable (throw-away inboxes), free
// (webmail such as gmail.com), else a company's own domain.
export function classifyEmailDomain(email: string): EmailDomainKind {
  const at = email.lastIndexOf('@');
  if (at < 0) return 'none';
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase();
  if (domain === '') return 'none';
  if (disposableDomains.has(domain)) return 'disposable';
  if (freeDomains.has(domain)) return 'free';
  return 'company';
}
