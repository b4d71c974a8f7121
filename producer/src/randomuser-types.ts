// The shape of randomuser.me API 1.4 answers, as far as this project relies on it.
// The types describe what the service *claims* to send; nothing here is trusted: the source only
// checks the envelope (isRandomUserResponse) and the transform validates every field it reads.

export interface RandomUserResult {
  gender: string;
  name: { title: string; first: string; last: string };
  location: {
    street: { number: number; name: string };
    city: string;
    state: string;
    country: string;
    /** A number for most nationalities, a string for GB/CA ("SW1A 1AA", "K1A 0B1"). */
    postcode: string | number;
    /** Strings, e.g. "-69.8246". */
    coordinates: { latitude: string; longitude: string };
    timezone?: { offset: string; description: string };
  };
  email: string;
  login: {
    uuid: string;
    username: string;
    password?: string;
    salt?: string;
    md5?: string;
    sha1?: string;
    sha256?: string;
  };
  dob: { date: string; age: number };
  registered: { date: string; age: number };
  phone: string;
  cell: string;
  /** `value` is null for many nationalities. */
  id: { name: string; value: string | null };
  picture: { large: string; medium: string; thumbnail: string };
  nat: string;
}

export interface RandomUserInfo {
  seed: string;
  results: number;
  page: number;
  version: string;
}

export interface RandomUserResponse {
  results: RandomUserResult[];
  info: RandomUserInfo;
}

/** The nationalities API 1.4 accepts for `nat`. */
export const RANDOMUSER_NATIONALITIES = [
  'AU',
  'BR',
  'CA',
  'CH',
  'DE',
  'DK',
  'ES',
  'FI',
  'FR',
  'GB',
  'IE',
  'IN',
  'IR',
  'MX',
  'NL',
  'NO',
  'NZ',
  'RS',
  'TR',
  'UA',
  'US',
] as const;
export type Nationality = (typeof RANDOMUSER_NATIONALITIES)[number];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Why a parsed body is not a usable answer, or undefined when it is. Only the envelope is checked
 * (a non-empty `results` array of objects, and no `error` field): per-user problems are the
 * transform's job, so one odd user does not make us re-fetch 5000 good ones.
 */
export function responseShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'body is not a JSON object';
  if (typeof body.error === 'string') return `API error: ${body.error}`;
  if (!Array.isArray(body.results)) return 'body has no "results" array';
  if (body.results.length === 0) return 'empty "results" (the service answers this during outages)';
  if (!body.results.every(isObject)) return '"results" contains non-objects';
  return undefined;
}
