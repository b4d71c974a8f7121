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

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** A random (version 4, RFC 4122 variant) UUID from 128 bits of the PRNG: 122 of them random. */
export function syntheticUuid(p: Prng): string {
  const w1 = ((p.uint32() & 0xffff0fff) | 0x00004000) >>> 0; // version nibble 4
  const w2 = ((p.uint32() & 0x3fffffff) | 0x80000000) >>> 0; // variant bits 10
  const h = hex8(p.uint32()) + hex8(w1) + hex8(w2) + hex8(p.uint32());
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
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
    dob: { date: new Date(dob).toISOString(), age: ageAt(dob) },
    registered: { date: new Date(registered).toISOString(), age: ageAt(registered) },
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
  return Array.from({ length: count }, () => generateUser(p, pool));
}
