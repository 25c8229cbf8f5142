import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

// Two captures are the same person when their normalised e-mail or phone match. The e-mail is compared
// lower-cased and trimmed (no provider-specific rules such as Gmail's dots: those are real, distinct addresses
// elsewhere); the phone in E.164, read in the configured default region when it has no country code.
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

// The phone in E.164, or undefined when it is not a valid number. Letters are refused outright: libphonenumber
// would otherwise drop them and read "600 000 00x" as a shorter, different number.
export function normalisePhone(phone: string, defaultRegion: CountryCode): string | undefined {
  if (!/^\+?[0-9 ()./-]+$/.test(phone.trim())) return undefined;
  const parsed = parsePhoneNumberFromString(phone, { defaultCountry: defaultRegion });
  return parsed?.isValid() ? parsed.number : undefined;
}

// The identity keys of a contact, e-mail first: de-duplication merges into the lead the first known key names.
export function identityKeysOf(contact: { email: string; phone: string }): string[] {
  const keys: string[] = [];
  if (contact.email) keys.push(`email:${normaliseEmail(contact.email)}`);
  if (contact.phone) keys.push(`phone:${contact.phone}`);
  return keys;
}
