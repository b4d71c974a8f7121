// Generates users in randomuser.me's 1.4 format, including the quirks that broke the Python
// tutorials (string GB/CA postcodes, numeric ones elsewhere, string coordinates, null id.value).
// Shared by the synthetic source and the fake randomuser API, so both exercise the same transform.

import { createPrng, type Prng } from './prng.js';
import { RANDOMUSER_NATIONALITIES, type Nationality, type RandomUserResult } from '../randomuser-types.js';

interface NatProfile {
  country: string;
  states: readonly string[];
  cities: readonly string[];
  postcode: (p: Prng) => string | number;
  /** null mimics randomuser, which has no national id for some countries. */
  idName: string | null;
  phone: (p: Prng) => string;
}

// Split once, not per call: the synthetic source generates every record of a load test.
const LETTERS = 'ABCDEFGHJKLMNPRSTUWXYZ'.split('');
const letter = (p: Prng): string => p.pick(LETTERS);
const DIGITS = '0123456789';
const digits = (p: Prng, n: number): string => {
  let out = '';
  for (let i = 0; i < n; i++) out += DIGITS[p.int(0, 9)]!;
  return out;
};

const GENERIC: NatProfile = {
  country: 'United States',
  states: ['Oregon', 'Texas', 'Ohio', 'Nevada'],
  cities: ['Portland', 'Austin', 'Dayton', 'Reno'],
  postcode: (p) => p.int(10000, 99999),
  idName: 'SSN',
  phone: (p) => `(${digits(p, 3)})-${digits(p, 3)}-${digits(p, 4)}`,
};

const PROFILES: Partial<Record<Nationality, NatProfile>> = {
  US: GENERIC,
  GB: {
    country: 'United Kingdom',
    states: ['Kent', 'Lothian', 'Devon', 'Merseyside'],
    cities: ['Canterbury', 'Edinburgh', 'Exeter', 'Liverpool'],
    postcode: (p) => `${letter(p)}${letter(p)}${p.int(1, 9)} ${p.int(0, 9)}${letter(p)}${letter(p)}`,
    idName: 'NINO',
    phone: (p) => `0${digits(p, 3)} ${digits(p, 3)} ${digits(p, 4)}`,
  },
  CA: {
    country: 'Canada',
    states: ['Ontario', 'Québec', 'Alberta', 'Nunavut'],
    cities: ['Ottawa', 'Montréal', 'Calgary', 'Iqaluit'],
    postcode: (p) => `${letter(p)}${p.int(0, 9)}${letter(p)} ${p.int(0, 9)}${letter(p)}${p.int(0, 9)}`,
    idName: 'SIN',
    phone: (p) => `${digits(p, 3)}-${digits(p, 3)}-${digits(p, 4)}`,
  },
  DE: {
    country: 'Germany',
    states: ['Bayern', 'Hessen', 'Sachsen'],
    cities: ['München', 'Kassel', 'Leipzig'],
    postcode: (p) => p.int(10000, 99999),
    idName: 'SVNR',
    phone: (p) => `0${digits(p, 3)}-${digits(p, 7)}`,
  },
  FR: {
    country: 'France',
    states: ['Gironde', 'Rhône', 'Finistère'],
    cities: ['Bordeaux', 'Lyon', 'Brest'],
    postcode: (p) => p.int(1000, 95999),
    idName: 'INSEE',
    phone: (p) => `0${p.int(1, 5)}-${digits(p, 2)}-${digits(p, 2)}-${digits(p, 2)}-${digits(p, 2)}`,
  },
  IN: {
    country: 'India',
    states: ['Kerala', 'Goa', 'Punjab'],
    cities: ['Kochi', 'Panaji', 'Amritsar'],
    postcode: (p) => p.int(110000, 855999),
    idName: 'UIDAI',
    phone: (p) => digits(p, 10),
  },
  NL: {
    country: 'Netherlands',
    states: ['Utrecht', 'Zeeland', 'Drenthe'],
    cities: ['Amersfoort', 'Middelburg', 'Assen'],
    // randomuser sends NL postcodes as strings too ("1234 AB")
    postcode: (p) => `${p.int(1000, 9999)} ${letter(p)}${letter(p)}`,
    idName: 'BSN',
    phone: (p) => `(0${digits(p, 3)}) ${digits(p, 6)}`,
  },
  IE: {
    country: 'Ireland',
    states: ['Cork', 'Galway', 'Kerry'],
    cities: ['Cork', 'Galway', 'Tralee'],
    postcode: (p) => p.int(10000, 99999),
    idName: 'PPS',
    phone: (p) => `0${digits(p, 2)}-${digits(p, 3)}-${digits(p, 4)}`,
  },
  BR: {
    country: 'Brazil',
    states: ['Bahia', 'Paraná', 'Pará'],
    cities: ['Salvador', 'Curitiba', 'Belém'],
    postcode: (p) => p.int(10000, 99999),
    idName: 'CPF',
    phone: (p) => `(${digits(p, 2)}) ${digits(p, 4)}-${digits(p, 4)}`,
  },
};

const FIRST = {
  female: ['Emma', 'Olivia', 'Chloé', 'Aisha', 'Mia', 'Sofia', 'Zoë', 'Ingrid', 'Priya', 'Léa'],
  male: ['Liam', 'Noah', 'Mathis', 'Arjun', 'Lucas', 'Finn', 'Jörg', 'Mateo', 'Oliver', 'Ravi'],
} as const;
const LAST = ['Smith', 'Müller', 'Dubois', 'Sharma', "O'Connor", 'Silva', 'de Vries', 'Tremblay', 'Jones', 'Kumar'];
const STREETS = ['High Street', 'Main St', 'Rue de la Paix', 'Hauptstraße', 'Station Road', 'Oak Lawn Ave'];
const PASSWORDS = ['hunter2', 'letmein', 'dragon', 'qwerty', 'sunshine'];
// Built once, not per user: the synthetic source generates every record of a load test.
const GENDERS = ['female', 'male'] as const;
const TITLES = { female: ['Ms', 'Mrs', 'Miss'], male: ['Mr'] } as const;
const USER_ADJECTIVES = ['silver', 'happy', 'tiny', 'brave', 'lazy'];
const USER_ANIMALS = ['fox', 'owl', 'cat', 'bear'];
const TIMEZONE = { offset: '+1:00', description: 'Brussels, Copenhagen, Madrid, Paris' } as const;
/** "first.last@example.com" in lower case without accents or spaces, per name pair (20 × 10 of them). */
const EMAILS = new Map<string, string>();
const emailOf = (first: string, last: string): string => {
  const name = `${first}.${last}`;
  let email = EMAILS.get(name);
  if (email === undefined) EMAILS.set(name, (email = `${name}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, '')));
  return email;
};

/** Two hex digits per byte, looked up (toString(16) + padStart per word was a tenth of the generator's CPU). */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
/** The hex of a 32-bit word's upper and lower halves. */
const hexHigh = (n: number): string => HEX[n >>> 24]! + HEX[(n >>> 16) & 0xff]!;
const hexLow = (n: number): string => HEX[(n >>> 8) & 0xff]! + HEX[n & 0xff]!;

/** A random (version 4, RFC 4122 variant) UUID from 128 bits of the PRNG: 122 of them random. */
export function syntheticUuid(p: Prng): string {
  const w1 = ((p.uint32() & 0xffff0fff) | 0x00004000) >>> 0; // version nibble 4
  const w2 = ((p.uint32() & 0x3fffffff) | 0x80000000) >>> 0; // variant bits 10
  // The same draws in the same order as ever: w1, w2, then the first and the last word.
  const w0 = p.uint32();
  const w3 = p.uint32();
  return `${hexHigh(w0)}${hexLow(w0)}-${hexHigh(w1)}-${hexLow(w1)}-${hexHigh(w2)}-${hexLow(w2)}${hexHigh(w3)}${hexLow(w3)}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * Date.prototype.toISOString of an instant in years 1000-9999, without a Date object (two per user:
 * a tenth of the generator's CPU). Days to civil date after Howard Hinnant's civil_from_days.
 */
export function isoUtc(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** A random instant between the starts of two years (ms since the epoch). */
const msBetween = (p: Prng, from: number, to: number): number => from + Math.floor(p.next() * (to - from));
const DOB_RANGE = [Date.UTC(1945, 0, 1), Date.UTC(2005, 0, 1)] as const;
const REGISTERED_RANGE = [Date.UTC(2002, 0, 1), Date.UTC(2023, 0, 1)] as const;

// Fixed reference "now" for ages, so the same seed gives byte-identical users on any day.
const AGE_REFERENCE = Date.UTC(2025, 0, 1);
const ageAt = (ms: number): number => Math.floor((AGE_REFERENCE - ms) / (365.25 * 86400_000));

export function generateUser(p: Prng, nats: readonly Nationality[]): RandomUserResult {
  const nat = p.pick(nats);
  const prof = PROFILES[nat] ?? GENERIC;
  const gender = p.pick(GENDERS);
  const first = p.pick(FIRST[gender]);
  const last = p.pick(LAST);
  const uuid = syntheticUuid(p);
  const username = `${p.pick(USER_ADJECTIVES)}${p.pick(USER_ANIMALS)}${p.int(10, 999)}`;
  const dob = msBetween(p, ...DOB_RANGE);
  const registered = msBetween(p, ...REGISTERED_RANGE);
  const pic = `${gender === 'female' ? 'women' : 'men'}/${p.int(0, 99)}.jpg`;
  // Roughly a third of ids have no value even where a name exists, like the real API.
  const idValue = prof.idName === null || p.next() < 0.3 ? null : `${digits(p, 3)}-${digits(p, 2)}-${digits(p, 4)}`;
  return {
    gender,
    // A draw for women only, as before: the same seed still gives the same users.
    name: { title: gender === 'female' ? p.pick(TITLES.female) : TITLES.male[0], first, last },
    location: {
      street: { number: p.int(1, 9999), name: p.pick(STREETS) },
      city: p.pick(prof.cities),
      state: p.pick(prof.states),
      country: prof.country,
      postcode: prof.postcode(p),
      coordinates: {
        latitude: (p.next() * 180 - 90).toFixed(4),
        longitude: (p.next() * 360 - 180).toFixed(4),
      },
      timezone: { ...TIMEZONE },
    },
    email: emailOf(first, last),
    login: { uuid, username, password: p.pick(PASSWORDS), salt: digits(p, 8), md5: '', sha1: '', sha256: '' },
    dob: { date: isoUtc(dob), age: ageAt(dob) },
    registered: { date: isoUtc(registered), age: ageAt(registered) },
    phone: prof.phone(p),
    cell: prof.phone(p),
    id: { name: prof.idName ?? '', value: idValue },
    picture: {
      large: `https://randomuser.me/api/portraits/${pic}`,
      medium: `https://randomuser.me/api/portraits/med/${pic}`,
      thumbnail: `https://randomuser.me/api/portraits/thumb/${pic}`,
    },
    nat,
  };
}

/**
 * The users of one "page" for a seed: like randomuser.me, (seed, page) always yields the same
 * users, and successive pages yield different ones.
 */
export function generateUsers(seed: string, page: number, count: number, nats?: readonly Nationality[]): RandomUserResult[] {
  const p = createPrng(`${seed}:${page}`);
  const pool = nats && nats.length > 0 ? nats : RANDOMUSER_NATIONALITIES;
  const users: RandomUserResult[] = new Array(count);
  for (let i = 0; i < count; i++) users[i] = generateUser(p, pool);
  return users;
}
