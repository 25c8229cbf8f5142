import { ValidationError } from '@crm/errors';

// A form's thank-you page: an absolute http(s) URL on an allow-listed origin, so the API cannot be used to send
// people to arbitrary sites (an open redirect). Returns undefined when the form names none.
export function redirectTarget(value: unknown, allowedOrigins: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  const refuse = (message: string) => new ValidationError('REDIRECT_NOT_ALLOWED', [{ field: 'redirect', rule: 'allow_list', message }]);
  if (typeof value !== 'string' || !URL.canParse(value)) throw refuse('must be an absolute URL');
  const url = new URL(value);
  if (!/^https?:$/.test(url.protocol) || !allowedOrigins.includes(url.origin)) {
    throw refuse(`must be a page on an allowed origin (INTAKE_REDIRECT_ORIGINS); ${url.origin} is not one`);
  }
  return url.toString();
}
