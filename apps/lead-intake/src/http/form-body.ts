// A plain HTML form sends every value as a string, and its field names cannot nest. These rules turn a form into
// the JSON body shape, so one schema validates both: "true"/"on"/"yes"/"1" for booleans, numbers for numeric
// fields, `utm_source` style names for the UTM fields (as landing pages pass them on), and
// `customAttributes[key]` for custom attributes. Values that do not convert are left as they are, so the schema
// names them.
const booleans: Record<string, boolean> = { true: true, on: true, yes: true, '1': true, false: false, off: false, no: false, '0': false };
const numericFields = new Set(['budget', 'timelineDays']);
const utmAliases: Record<string, string> = {
  utm_source: 'utmSource',
  utm_medium: 'utmMedium',
  utm_campaign: 'utmCampaign',
  utm_term: 'utmTerm',
  utm_content: 'utmContent',
};
const attributeField = /^customAttributes\[(.*)\]$/;

export function formToBody(form: Record<string, unknown>): Record<string, unknown> {
  // Built from entries so that a field named like an Object.prototype member ("__proto__") stays a plain field,
  // which the schema then names as unknown.
  const entries: [string, unknown][] = [];
  const attributes: [string, unknown][] = [];
  for (const [rawName, value] of Object.entries(form)) {
    const attribute = attributeField.exec(rawName);
    if (attribute) {
      attributes.push([attribute[1], value]);
      continue;
    }
    const name = Object.hasOwn(utmAliases, rawName) ? utmAliases[rawName] : rawName;
    const converted = convert(name, value);
    if (converted !== undefined) entries.push([name, converted]);
  }
  if (attributes.length > 0) entries.push(['customAttributes', Object.fromEntries(attributes)]);
  return Object.fromEntries(entries);
}

function convert(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (name === 'consent') {
    const key = value.trim().toLowerCase();
    return Object.hasOwn(booleans, key) ? booleans[key] : value;
  }
  if (numericFields.has(name)) {
    // An empty optional number field is simply not given.
    if (value.trim() === '') return undefined;
    return Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return value;
}
