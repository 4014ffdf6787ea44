#!/usr/bin/env node
// Checks iCalendar invitations with Mozilla's ical.js (a parser independent of the one that
// wrote them) and prints one JSON object per input file (JSON Lines) on stdout.
//
//   node check.mjs file1.ics [file2.ics ...]     # or: node check.mjs < invite.ics
//
// Exit code: 0 = every input was parsed by ical.js (problems are listed in "errors"),
//            1 = ical.js threw while parsing at least one input,
//            2 = usage error or an unreadable file (takes precedence over 1).
// See README.md for the output fields. Also importable: `import { checkCalendar } from './check.mjs'`.

import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';

const BERLIN = 'Europe/Berlin';
const MAX_OCTETS = 75;
const MAX_LISTED = 5; // per kind of raw-text problem; the rest is summarised

// ---------------------------------------------------------------------------------------------
// Raw-text checks (bytes, before ical.js sees anything)
// ---------------------------------------------------------------------------------------------

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes) {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Splits raw bytes into physical lines and checks terminators, length and UTF-8 folding. */
function checkRawText(buf, errors) {
  const problems = { bareLf: [], bareCr: [], tooLong: [], splitUtf8: [], badUtf8: [] };
  const lines = []; // { start, end (exclusive, without terminator), no }
  let start = 0;
  let no = 1;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0a) {
      const crlf = i > start && buf[i - 1] === 0x0d;
      if (!crlf) problems.bareLf.push(no);
      lines.push({ start, end: crlf ? i - 1 : i, no });
      start = i + 1;
      no++;
    } else if (b === 0x0d && buf[i + 1] !== 0x0a) {
      problems.bareCr.push(no);
    }
  }
  let lastLineUnterminated = false;
  if (start < buf.length) {
    lines.push({ start, end: buf.length, no });
    lastLineUnterminated = true;
  }

  for (const l of lines) {
    const len = l.end - l.start;
    if (len > MAX_OCTETS) problems.tooLong.push(`${l.no} (${len} octets)`);
  }

  // Group physical lines into logical lines (a line starting with SPACE or HTAB continues the
  // previous one) and look for folds that cut a UTF-8 multi-byte sequence in two.
  let logical = null; // { parts: [Buffer], lines: [{no, bytes}] }
  const flush = () => {
    if (!logical) return;
    const whole = Buffer.concat(logical.parts);
    if (!isValidUtf8(whole)) {
      problems.badUtf8.push(logical.lines[0].no);
    } else if (logical.lines.some((p) => !isValidUtf8(p.bytes))) {
      // Valid once unfolded, invalid piece by piece: the fold is inside a character.
      const bad = logical.lines.filter((p) => !isValidUtf8(p.bytes)).map((p) => p.no);
      problems.splitUtf8.push(bad.join('/'));
    }
    logical = null;
  };
  for (const l of lines) {
    const bytes = buf.subarray(l.start, l.end);
    const continuation = bytes.length > 0 && (bytes[0] === 0x20 || bytes[0] === 0x09);
    if (continuation && logical) {
      const piece = bytes.subarray(1);
      logical.parts.push(piece);
      logical.lines.push({ no: l.no, bytes: piece });
    } else {
      flush();
      logical = { parts: [bytes], lines: [{ no: l.no, bytes }] };
    }
  }
  flush();

  const report = (list, what) => {
    if (list.length === 0) return;
    const shown = list.slice(0, MAX_LISTED).join(', ');
    const more = list.length > MAX_LISTED ? ` and ${list.length - MAX_LISTED} more` : '';
    errors.push(`${what}: line ${shown}${more}`);
  };
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    errors.push('file starts with a UTF-8 byte order mark');
  }
  report(problems.bareLf, 'line ends with LF instead of CRLF');
  report(problems.bareCr, 'CR not followed by LF');
  if (lastLineUnterminated) errors.push(`last line (${lines.at(-1).no}) is not terminated by CRLF`);
  report(problems.tooLong, `line longer than ${MAX_OCTETS} octets`);
  report(problems.splitUtf8, 'folded inside a UTF-8 multi-byte sequence');
  report(problems.badUtf8, 'invalid UTF-8 in logical line starting at');
}

/** Minimal look at the unfolded text for values ical.js accepts too leniently. */
function checkRawValues(text, errors) {
  const unfolded = text.replace(/\r?\n[ \t]/g, '');
  const dateTime = /^\d{8}T\d{6}Z?$/;
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1].toUpperCase();
    const params = m[2].toUpperCase();
    const value = m[3];
    if (name === 'SEQUENCE' && !/^\d+$/.test(value)) {
      // ical.js turns e.g. "SEQUENCE:abc" silently into 0.
      errors.push(`SEQUENCE value "${value}" is not a non-negative integer`);
    }
    if (['DTSTART', 'DTEND', 'DTSTAMP', 'RECURRENCE-ID'].includes(name)) {
      const ok = params.includes('VALUE=DATE') && !params.includes('VALUE=DATE-TIME')
        ? /^\d{8}$/.test(value)
        : dateTime.test(value);
      if (!ok) errors.push(`${name} value "${value}" is not a valid ${params.includes('VALUE=DATE') && !params.includes('VALUE=DATE-TIME') ? 'DATE' : 'DATE-TIME'}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Time helpers
// ---------------------------------------------------------------------------------------------

const pad = (n, w = 2) => String(n).padStart(w, '0');
const icalTimeIso = (t) =>
  `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;

/**
 * Wall time of a UTC ICAL.Time in a VTIMEZONE-defined zone. Deliberately not
 * `utc.convertToZone(zone)`: in ical.js 2.2.1 that looks up the offset with the UTC wall time
 * taken as local time, so it is one hour off during the hour after each transition
 * (2026-03-29T01:00:00Z -> "02:00" instead of 03:00; 2026-10-25T01:00:00Z -> "03:00" instead
 * of 02:00). Instead use the zone's expanded transitions (`changes`, stored in UTC).
 */
function vtimezoneWallTime(zone, utc) {
  zone.utcOffset(ICAL.Time.fromData({ year: utc.year + 1, month: 1, day: 1 })); // expands rules
  const key = (c) => [c.year, c.month, c.day, c.hour, c.minute, c.second];
  const le = (a, b) => {
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i];
    return true;
  };
  let offset = zone.changes.length > 0 ? zone.changes[0].prevUtcOffset : 0;
  let best = null;
  for (const c of zone.changes) {
    if (le(c, utc) && (best === null || le(best, c))) best = c;
  }
  if (best) offset = best.utcOffset;
  const local = utc.clone();
  local.zone = ICAL.Timezone.localTimezone;
  local.adjust(0, 0, 0, offset);
  return icalTimeIso(local);
}

const intlFormatters = new Map();
/** Wall time ("YYYY-MM-DDTHH:MM:SS") of a JS Date in an IANA zone, via Node's ICU tzdata. */
function intlWallTime(date, zone) {
  let f = intlFormatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      f = null; // not an IANA name Intl knows (e.g. a Windows zone name)
    }
    intlFormatters.set(zone, f);
  }
  if (!f) return null;
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/**
 * Describes a DTSTART/DTEND property: the TZID used, the UTC instant and Berlin wall time.
 * ctx: { vtimezoneIds: Set, berlinZone: ICAL.Timezone|null }
 */
function describeTime(prop, label, ctx, errors) {
  if (!prop) return null;
  const out = { tzid: prop.getParameter('tzid') ?? null, local: null, utc: null, berlin: null };
  let t;
  try {
    t = prop.getFirstValue();
  } catch (e) {
    errors.push(`${label}: ical.js could not parse the value: ${e.message}`);
    out.error = `unparseable: ${e.message}`;
    return out;
  }
  if (!(t instanceof ICAL.Time)) {
    out.error = `not a date-time (${prop.type})`;
    errors.push(`${label}: ${out.error}`);
    return out;
  }
  out.local = t.toString(); // as written (wall time in tzid, or ...Z)
  if (t.isDate) {
    out.error = 'DATE value (all-day): no instant';
    errors.push(`${label}: ${out.error}`);
    return out;
  }
  const zoneId = t.zone?.tzid;
  if (out.tzid !== null && !ctx.vtimezoneIds.has(out.tzid)) {
    // RFC 5545 3.2.19: every TZID must have a VTIMEZONE in the same object. Receivers then
    // guess (Outlook: wrong by an hour) or treat the time as floating.
    out.error = `TZID "${out.tzid}" has no VTIMEZONE in this file`;
    errors.push(`${label}: ${out.error}`);
    return out;
  }
  if (out.tzid === null && zoneId !== 'UTC') {
    out.error = 'floating time (neither UTC nor TZID)';
    errors.push(`${label}: ${out.error}`);
    return out;
  }
  if (!t.zone || zoneId === 'floating') {
    out.error = `ical.js could not resolve TZID "${out.tzid}"`;
    errors.push(`${label}: ${out.error}`);
    return out;
  }

  const utc = t.convertToZone(ICAL.Timezone.utcTimezone);
  out.utc = icalTimeIso(utc) + 'Z';
  const instant = new Date(out.utc);

  if (ctx.berlinZone) {
    out.berlin = vtimezoneWallTime(ctx.berlinZone, utc);
    out.berlinSource = 'vtimezone';
    const viaIntl = intlWallTime(instant, BERLIN);
    // (For TZID=Europe/Berlin times the check below says the same; report it once.)
    if (viaIntl !== out.berlin && out.tzid !== BERLIN) {
      errors.push(`${label}: the file's VTIMEZONE ${BERLIN} gives ${out.berlin} for ${out.utc}, ` +
        `tzdata (Intl) gives ${viaIntl}`);
    }
  } else {
    out.berlin = intlWallTime(instant, BERLIN);
    out.berlinSource = 'intl';
  }

  // Cross-check the file's VTIMEZONE rules against tzdata when the TZID is an IANA name:
  // the wall time as written must come back when the UTC instant is shown in that zone.
  // Catches empty or wrong VTIMEZONEs and local times that do not exist (DST gap).
  if (out.tzid !== null) {
    const back = intlWallTime(instant, out.tzid);
    if (back !== null && back !== icalTimeIso(t)) {
      errors.push(`${label}: ${icalTimeIso(t)} TZID=${out.tzid} becomes ${out.utc} with the file's ` +
        `VTIMEZONE, which tzdata (Intl) shows as ${back} in ${out.tzid} ` +
        '(VTIMEZONE rules wrong/empty, or the local time does not exist)');
    } else if (back !== null) {
      // Wall times that occur twice (last Sunday of October, 02:00-02:59 in Berlin):
      // RFC 5545 3.3.5 says the first occurrence is meant; ical.js 2.2.1 takes the second.
      const twins = [-3600, 3600]
        .map((d) => new Date(instant.getTime() + d * 1000))
        .filter((d) => intlWallTime(d, out.tzid) === back);
      if (twins.length > 0) {
        const all = [instant, ...twins].sort((a, b) => a - b).map((d) => d.toISOString().replace('.000Z', 'Z'));
        errors.push(`${label}: ${icalTimeIso(t)} TZID=${out.tzid} is ambiguous (occurs at ${all.join(' and ')}); ` +
          `RFC 5545 means the first, ical.js used ${out.utc} - avoid or write in UTC`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Component checks
// ---------------------------------------------------------------------------------------------

/** Forces ical.js to decode every property value, collecting those it cannot parse. */
function walkValues(comp, path, errors) {
  for (const prop of comp.getAllProperties()) {
    try {
      prop.getValues();
    } catch (e) {
      errors.push(`${path}/${prop.name.toUpperCase()}: ical.js could not parse the value: ${e.message}`);
    }
  }
  for (const sub of comp.getAllSubcomponents()) {
    walkValues(sub, `${path}/${sub.name.toUpperCase()}`, errors);
  }
}

function safeValue(comp, name) {
  try {
    const v = comp.getFirstPropertyValue(name);
    return v === null || v === undefined ? null : v;
  } catch {
    return null; // already reported by walkValues
  }
}
const asString = (v) => (v === null || v === undefined ? null : String(v));

function describeEvent(vevent, index, ctx) {
  const errors = [];
  const uid = asString(safeValue(vevent, 'uid'));
  const label = `VEVENT[${index}]${uid ? ` ${uid}` : ''}`;

  for (const name of ['uid', 'dtstamp', 'dtstart', 'dtend', 'sequence']) {
    if (!vevent.hasProperty(name)) errors.push(`missing ${name.toUpperCase()}`);
  }

  const seq = safeValue(vevent, 'sequence');
  const sequence = typeof seq === 'number' ? seq : null;
  if (vevent.hasProperty('sequence') && !(Number.isInteger(sequence) && sequence >= 0)) {
    errors.push(`SEQUENCE is not a non-negative integer: ${seq}`);
  }

  const stamp = safeValue(vevent, 'dtstamp');
  if (stamp instanceof ICAL.Time && stamp.zone?.tzid !== 'UTC') {
    errors.push(`DTSTAMP must be in UTC (RFC 5545 3.8.7.2), found ${stamp.toString()}`);
  }

  const orgProp = vevent.getFirstProperty('organizer');
  const organizer = orgProp
    ? { value: asString(safeValue(vevent, 'organizer')), cn: orgProp.getParameter('cn') ?? null }
    : null;

  const attendees = vevent.getAllProperties('attendee').map((p) => {
    let value = null;
    try {
      value = asString(p.getFirstValue());
    } catch { /* reported by walkValues */ }
    return {
      value,
      cn: p.getParameter('cn') ?? null,
      role: p.getParameter('role') ?? null,
      partstat: p.getParameter('partstat') ?? null,
      rsvp: p.getParameter('rsvp') ?? null,
    };
  });

  const alarms = vevent.getAllSubcomponents('valarm').map((a, i) => {
    const action = asString(safeValue(a, 'action'));
    const triggerProp = a.getFirstProperty('trigger');
    const trigger = asString(safeValue(a, 'trigger'));
    const alarm = { action, trigger };
    const related = triggerProp?.getParameter('related');
    if (related) alarm.related = related;
    if (!action) errors.push(`VALARM[${i}]: missing ACTION`);
    if (!triggerProp) errors.push(`VALARM[${i}]: missing TRIGGER`);
    if (action?.toUpperCase() === 'DISPLAY' && !a.hasProperty('description')) {
      errors.push(`VALARM[${i}]: DISPLAY alarm without DESCRIPTION (RFC 5545 3.6.6)`);
    }
    return alarm;
  });

  const dtstart = describeTime(vevent.getFirstProperty('dtstart'), 'DTSTART', ctx, errors);
  const dtend = describeTime(vevent.getFirstProperty('dtend'), 'DTEND', ctx, errors);
  if (dtstart?.utc && dtend?.utc && dtend.utc <= dtstart.utc) {
    errors.push(`DTEND (${dtend.utc}) is not after DTSTART (${dtstart.utc})`);
  }

  const event = {
    uid,
    sequence,
    status: asString(safeValue(vevent, 'status')),
    transp: asString(safeValue(vevent, 'transp')),
    summary: asString(safeValue(vevent, 'summary')),
    description: asString(safeValue(vevent, 'description')),
    location: asString(safeValue(vevent, 'location')),
    organizer,
    attendees,
    dtstart,
    dtend,
    alarms,
    errors,
  };
  return { event, label };
}

/**
 * Checks one calendar. name: label for the report; buf: the raw bytes (Buffer).
 * Returns { result (the JSON object printed per file), threw (ical.js threw on parse) }.
 */
export function checkCalendar(name, buf) {
  const result = { file: name, method: null, prodid: null, events: [], errors: [] };
  const errors = result.errors;

  checkRawText(buf, errors);
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  checkRawValues(text, errors);

  let jcal;
  try {
    jcal = ICAL.parse(text);
  } catch (e) {
    result.parseError = e.message;
    errors.push(`ical.js could not parse the file: ${e.message}`);
    result.ok = false;
    return { result, threw: true };
  }

  const roots = Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal : [jcal];
  if (roots.length !== 1) errors.push(`expected one VCALENDAR, found ${roots.length} top-level components`);
  if (roots.length === 0) {
    result.ok = false;
    return { result, threw: false };
  }
  const vcal = new ICAL.Component(roots[0]);
  if (vcal.name !== 'vcalendar') errors.push(`top-level component is ${vcal.name.toUpperCase()}, not VCALENDAR`);

  result.method = asString(safeValue(vcal, 'method'));
  result.prodid = asString(safeValue(vcal, 'prodid'));
  if (!result.method) errors.push('missing METHOD (no Accept/Decline without an iTIP method)');
  if (!result.prodid) errors.push('missing PRODID');
  if (asString(safeValue(vcal, 'version')) !== '2.0') errors.push('missing or wrong VERSION (must be 2.0)');

  // Time zones: start from a clean registry for every file (the service is global), then
  // register every VTIMEZONE of this file before any time value is read.
  ICAL.TimezoneService.reset();
  const vtimezoneIds = new Set();
  let berlinZone = null;
  for (const vtz of vcal.getAllSubcomponents('vtimezone')) {
    const tzid = asString(safeValue(vtz, 'tzid'));
    if (!tzid) {
      errors.push('VTIMEZONE without TZID');
      continue;
    }
    if (!vtz.getFirstSubcomponent('standard') && !vtz.getFirstSubcomponent('daylight')) {
      errors.push(`VTIMEZONE ${tzid} has neither STANDARD nor DAYLIGHT rules (empty VTIMEZONE)`);
    }
    try {
      const zone = new ICAL.Timezone(vtz);
      ICAL.TimezoneService.register(zone, tzid);
      vtimezoneIds.add(tzid);
      if (tzid === BERLIN) berlinZone = zone;
    } catch (e) {
      errors.push(`VTIMEZONE ${tzid}: ical.js could not use it: ${e.message}`);
    }
  }

  // Decode every value only now: ical.js caches decoded times, and their zones are looked up
  // when decoded, so this must come after the registration above.
  walkValues(vcal, vcal.name.toUpperCase(), errors);

  const vevents = vcal.getAllSubcomponents('vevent');
  if (vevents.length === 0) errors.push('no VEVENT');
  vevents.forEach((ve, i) => {
    const { event, label } = describeEvent(ve, i, { vtimezoneIds, berlinZone });
    result.events.push(event);
    for (const e of event.errors) errors.push(`${label}: ${e}`);
  });

  result.ok = errors.length === 0;
  return { result, threw: false };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

const USAGE = 'usage: node check.mjs [file.ics ...]   (reads stdin when no file is given; "-" = stdin)';

function main(argv) {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '-' && a !== '--');
  if (unknown.length > 0) {
    process.stderr.write(`unknown option ${unknown[0]}\n${USAGE}\n`);
    return 2;
  }
  const files = argv.filter((a) => a !== '--');
  if (files.length === 0) {
    if (process.stdin.isTTY) {
      process.stderr.write(USAGE + '\n');
      return 2;
    }
    files.push('-');
  }

  let exit = 0;
  for (const f of files) {
    const name = f === '-' ? '<stdin>' : f;
    let buf;
    try {
      buf = readFileSync(f === '-' ? 0 : f);
    } catch (e) {
      process.stdout.write(JSON.stringify({ file: name, ok: false, errors: [`cannot read: ${e.message}`] }) + '\n');
      exit = 2;
      continue;
    }
    const { result, threw } = checkCalendar(name, buf);
    process.stdout.write(JSON.stringify(result) + '\n');
    if (threw && exit === 0) exit = 1;
  }
  return exit;
}

// Run only when executed directly (generate-bench.mjs imports checkCalendar).
const invokedDirectly = process.argv[1] &&
  realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
