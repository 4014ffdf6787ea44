#!/usr/bin/env node
// Benchmark for comparison with the C# generator: npm's ical-generator building complete
// invitations (METHOD:REQUEST, VEVENT with TZID=Europe/Berlin + a full VTIMEZONE, organizer,
// one attendee, alarm) and serializing them to text.
//
//   node generate-bench.mjs [N=20000] [--sample out.ics] [--modules DIR]
//
// --modules DIR (or ICAL_GENERATOR_PREFIX=DIR) loads ical-generator and @touch4it/ical-timezones
// from DIR/node_modules (an `npm install --prefix DIR ...` folder) instead of this folder's pinned
// versions, e.g. to compare ical-generator 11.x, which declares Node >= 22, without changing package.json.
//
// Prints one JSON line. Every generated invitation of one round is also checked structurally,
// and one of them completely with check.mjs (ical.js); see "check" in the output.
// --sample writes that invitation to a file so it can be inspected / run through check.mjs.

// ical-generator writes TZID times with the *process-local* getters of a native Date
// (Date#getHours), so the process must run in the event's zone for real instants to come
// out as Berlin wall times. Set it before any Date is used.
process.env.TZ = 'Europe/Berlin';

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkCalendar } from './check.mjs';

const require = createRequire(import.meta.url);

/** Version of an installed package (its exports map hides package.json from require). */
function packageVersion(name) {
  let dir = dirname(require.resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg.version;
    } catch { /* keep walking up */ }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

// --- arguments -------------------------------------------------------------------------------
const USAGE = 'usage: node generate-bench.mjs [N=20000] [--sample out.ics] [--modules DIR]\n';
const args = process.argv.slice(2);
let count = 20000;
let samplePath = null;
let modulesPrefix = process.env.ICAL_GENERATOR_PREFIX || null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--sample') samplePath = args[++i];
  else if (args[i] === '--modules') modulesPrefix = args[++i];
  else if (/^\d+$/.test(args[i]) && Number(args[i]) > 0) count = Number(args[i]);
  else {
    process.stderr.write(USAGE);
    process.exit(2);
  }
}
if (args.includes('--sample') && !samplePath) {
  process.stderr.write('--sample needs a file name\n');
  process.exit(2);
}
if (args.includes('--modules') && !modulesPrefix) {
  process.stderr.write('--modules needs a folder (the --prefix of an npm install)\n');
  process.exit(2);
}

/**
 * A package from <prefix>/node_modules (ESM entry of its exports map, else module/main), or from
 * this folder's pinned installation when no prefix is given. Returns the module and its version.
 */
async function load(name) {
  if (!modulesPrefix) return { module: await import(name), version: packageVersion(name), from: 'tests/ical-check (pinned)' };
  const dir = join(resolve(modulesPrefix), 'node_modules', name);
  if (!existsSync(join(dir, 'package.json'))) {
    process.stderr.write(`${name} is not installed under ${resolve(modulesPrefix)}/node_modules\n`);
    process.exit(2);
  }
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const exported = pkg.exports?.['.'] ?? pkg.exports;
  let entry = exported?.import ?? pkg.module ?? pkg.main ?? 'index.js';
  if (typeof entry === 'object') entry = entry.default;
  return { module: await import(pathToFileURL(join(dir, entry)).href), version: pkg.version, from: resolve(modulesPrefix) };
}

const generatorPackage = await load('ical-generator');
const timezonesPackage = await load('@touch4it/ical-timezones');
const ical = generatorPackage.module.default;
const {
  ICalAlarmType,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
  ICalEventTransparency,
} = generatorPackage.module;
// A CommonJS package: its named export is detected by Node, and is also on the default export.
const getVtimezoneComponent = timezonesPackage.module.getVtimezoneComponent ?? timezonesPackage.module.default.getVtimezoneComponent;

// --- the invitation --------------------------------------------------------------------------
const TZ = 'Europe/Berlin';
const START = new Date('2026-03-29T01:00:00Z'); // 03:00 CEST, the day clocks go forward
const END = new Date('2026-03-29T02:00:00Z'); // 04:00 CEST
const DESCRIPTION =
  'Guten Tag Frau Schäfer,\n\n' +
  'hiermit bestätigen wir Ihren Termin zur Überprüfung Ihres Kassensystems in der Filiale ' +
  'Hauptstraße. Unser Techniker prüft die Konformität mit der Kassensicherungsverordnung, ' +
  'die technische Sicherheitseinrichtung (TSE), die Belegausgabe sowie die Übertragung der ' +
  'Tagesabschlüsse an Ihre Buchhaltung. Bitte halten Sie das Kassenbuch, die Z-Bons der ' +
  'letzten drei Monate und die Zugangsdaten für das Händlerportal bereit. Die Prüfung ' +
  'dauert etwa eine Stunde; der Kassenbetrieb ist währenddessen nur kurz unterbrochen.\n\n' +
  'Möchten Sie den Termin verschieben oder absagen, nutzen Sie bitte die Schaltflächen in ' +
  'der E-Mail.\n\nMit freundlichen Grüßen\nIhr JoeCash-Team';

function memoize(fn) {
  const cache = new Map();
  return (tz) => {
    if (!cache.has(tz)) cache.set(tz, fn(tz));
    return cache.get(tz);
  };
}
const cachedVtimezone = memoize(getVtimezoneComponent);

/**
 * Builds one invitation. The calendar-level timezone has name null on purpose: with a name,
 * ical-generator 10.2.0 writes DTSTAMP as local time without "Z" (invalid, RFC 5545 3.8.7.2)
 * and adds TIMEZONE-ID/X-WR-TIMEZONE; the VTIMEZONE for the event's zone is still emitted.
 */
function buildCalendar(i, generator) {
  const cal = ical({
    prodId: { company: 'JoeCash', product: 'Scheduler', language: 'DE' },
    method: ICalCalendarMethod.REQUEST,
    timezone: { name: null, generator },
  });
  cal.createEvent({
    id: `a${i.toString(16).padStart(8, '0')}-4c1e-4b7a-9d2f-6e0b3c5a7f19@scheduler.joecash.example`,
    sequence: 0,
    stamp: new Date(),
    start: START,
    end: END,
    timezone: TZ,
    summary: 'Kassenprüfung – Bäckerei Schäfer',
    description: DESCRIPTION,
    location: 'Hauptstraße 5, 10115 Berlin',
    organizer: { name: 'JoeCash Termine', email: 'termine@joecash.example' },
    attendees: [{
      name: 'Jörg Schäfer',
      email: `joerg.schaefer+${i}@example.test`,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: true,
    }],
    status: ICalEventStatus.CONFIRMED,
    transparency: ICalEventTransparency.OPAQUE,
    alarms: [{
      type: ICalAlarmType.display,
      trigger: 15 * 60, // seconds before start -> TRIGGER:-PT15M
      description: 'Erinnerung: Kassenprüfung in 15 Minuten',
    }],
  });
  return cal;
}

// --- timing ----------------------------------------------------------------------------------
let sink = 0; // keeps results observable so nothing is optimised away

function time(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1000; // microseconds
}

const BATCHES = 10;

/**
 * Warm-up (min(N, 2000) invitations: JIT, file cache), then all N invitations measured in
 * 10 batches. Returns the median batch's microseconds per invitation (robust against a
 * shared machine's load spikes) and the plain mean over all N.
 */
function measure(run) {
  run(0, Math.min(count, 2000));
  const per = [];
  let total = 0;
  for (let b = 0; b < BATCHES; b++) {
    const from = Math.floor((b * count) / BATCHES);
    const to = Math.floor(((b + 1) * count) / BATCHES);
    if (to === from) continue;
    const us = time(() => run(from, to));
    total += us;
    per.push(us / (to - from));
  }
  per.sort((a, b) => a - b);
  return { median: per[Math.floor(per.length / 2)], mean: total / count };
}

const fromScratch = (from, to) => {
  for (let i = from; i < to; i++) sink += buildCalendar(i, getVtimezoneComponent).toString().length;
};
const fromScratchCachedVtimezone = (from, to) => {
  for (let i = from; i < to; i++) sink += buildCalendar(i, cachedVtimezone).toString().length;
};
const prebuilt = Array.from({ length: count }, (_, i) => buildCalendar(i, cachedVtimezone));
const serializeOnly = (from, to) => {
  for (let i = from; i < to; i++) sink += prebuilt[i].toString().length;
};

const round = (x) => Math.round(x * 100) / 100;
const usScratch = measure(fromScratch);
const usCached = measure(fromScratchCachedVtimezone);
const usSerialize = measure(serializeOnly);

// --- output check ----------------------------------------------------------------------------
const texts = prebuilt.map((c) => c.toString());
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0) / count;
const structural = texts.filter((t) =>
  !t.includes('BEGIN:VTIMEZONE') || !t.includes('BEGIN:DAYLIGHT') || !t.includes('BEGIN:STANDARD') ||
  !t.includes('DTSTART;TZID=Europe/Berlin:20260329T030000') ||
  !t.includes('DTEND;TZID=Europe/Berlin:20260329T040000') || !/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/.test(t)).length;

const sampleText = buildCalendar(0, getVtimezoneComponent).toString();
if (samplePath) writeFileSync(samplePath, sampleText);
const { result } = checkCalendar(samplePath ?? '<generated>', Buffer.from(sampleText, 'utf8'));
const ev = result.events[0] ?? {};

process.stdout.write(JSON.stringify({
  tool: 'ical-generator',
  version: generatorPackage.version,
  vtimezoneGenerator: `@touch4it/ical-timezones@${timezonesPackage.version}`,
  modulesFrom: generatorPackage.from,
  node: process.version,
  count,
  // median of 10 batches; the plain means over all N are in "means"
  microsPerInvitation: round(usScratch.median), // build + serialize, VTIMEZONE generated each time
  microsPerInvitationCachedVtimezone: round(usCached.median), // build + serialize, VTIMEZONE text cached
  microsPerInvitationSerializeOnly: round(usSerialize.median), // toString() of already built calendars
  means: { fromScratch: round(usScratch.mean), cachedVtimezone: round(usCached.mean), serializeOnly: round(usSerialize.mean) },
  bytes: Math.round(bytes), // UTF-8 bytes per invitation (average)
  check: {
    structuralFailures: structural, // of `count` invitations: VTIMEZONE/TZID times/UTC DTSTAMP
    icaljs: {
      ok: result.ok,
      method: result.method,
      uid: ev.uid ?? null,
      sequence: ev.sequence ?? null,
      dtstartUtc: ev.dtstart?.utc ?? null,
      dtstartBerlin: ev.dtstart?.berlin ?? null,
      dtendUtc: ev.dtend?.utc ?? null,
      errors: result.errors,
    },
  },
  _sink: sink % 10, // (ignore)
}) + '\n');
