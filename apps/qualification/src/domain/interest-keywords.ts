import { ValidationError } from '@crm/errors';

// The `interest-matches` condition is a list of keywords separated by "|", each matched as a literal,
// case-insensitive substring of the lead's interest. Not a regular expression: the interest is text anyone can
// submit, and a backtracking engine can spend exponential time on a pattern such as `(a|a)*$`, freezing every
// consumer the message is redelivered to; a substring search is linear in the interest's length.
// (re2-wasm, a linear-time engine, was tried: its fixed 16 MB heap aborts the process after ~1,400 compiled patterns
// or a handful of patterns whose automata hostile text inflates.)
const keywordSeparator = '|';

// Lower-cased keywords; throws naming the first empty one, so a rule set is refused rather than matching everything.
export function interestKeywords(pattern: string): string[] {
  const keywords = pattern.split(keywordSeparator).map((keyword) => keyword.trim().toLowerCase());
  const empty = keywords.indexOf('');
  if (empty !== -1) {
    const message = `keyword ${empty + 1} is empty`;
    throw new ValidationError('RULE_SET_INVALID', [{ field: 'pattern', rule: 'keywords', message }], message);
  }
  return keywords;
}

export function interestMatches(keywords: readonly string[], interest: string): boolean {
  const text = interest.toLowerCase();
  return keywords.some((keyword) => text.includes(keyword));
}
