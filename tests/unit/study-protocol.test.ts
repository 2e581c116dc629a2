import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateProtocol, formatFieldError, PROTOCOL_FORMAT, type Protocol } from '@/utils/study/protocol';

const EXAMPLE_TEXT = readFileSync(join(__dirname, '..', '..', 'examples', 'protocol.example.json'), 'utf8');
const example = (): any => JSON.parse(EXAMPLE_TEXT);

/** The example with one change applied (a function that edits a fresh copy). */
function variant(edit: (p: any) => void): any {
  const p = example();
  edit(p);
  return p;
}

describe('study protocol: good files', () => {
  it('accepts the example protocol in examples/, as text and as a value', () => {
    const fromText = validateProtocol(EXAMPLE_TEXT);
    expect(fromText.ok, JSON.stringify(!fromText.ok && fromText.errors)).toBe(true);
    const fromValue = validateProtocol(example());
    expect(fromValue.ok).toBe(true);
    const p = (fromText as { protocol: Protocol }).protocol;
    expect(p.format).toBe(PROTOCOL_FORMAT);
    expect(p.arms.map((a) => a.id)).toEqual(['control', 'every-20', 'every-50']);
    expect(p.arms[0].frames).toBe(false);
    expect(p.arms[1].frames).toBe(true); // default
    expect(p.experienceSampling?.probability).toBe(0.25);
    expect(p.lock).toEqual({ cadence: true, schedule: false });
    expect(p.enrolment.codes).toBe('optional');
    expect(fromText.ok && fromText.warnings).toEqual([]);
  });

  it('fills defaults: randomisation, velocity window, blindArm; endpoint stays off', () => {
    const res = validateProtocol(
      variant((p) => {
        delete p.randomisation;
        delete p.velocityWindowSeconds;
        delete p.blindArm;
      }),
    );
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.protocol.randomisation).toEqual({ method: 'stable-hash' });
    expect(res.protocol.enrolment).toEqual({ codes: 'optional', codeHint: expect.any(Object) });
    expect(res.protocol.velocityWindowSeconds).toBe(10);
    expect(res.protocol.blindArm).toBe(false);
    expect(res.protocol.endpoint).toBeUndefined();
  });

  it('accepts a minimal protocol: one arm, one measure, no question, an https endpoint', () => {
    const res = validateProtocol({
      format: 1,
      studyId: 'tiny',
      version: '0.1',
      title: { en: 'Tiny', zh_CN: '小' },
      researchers: [{ name: 'R' }],
      contact: { email: 'r@example.org' },
      consent: { en: 'x'.repeat(60), zh_CN: '同'.repeat(60) },
      durationDays: 1,
      arms: [{ id: 'only', weight: 1 }],
      measures: ['sessions'],
      endpoint: 'https://collector.example.org/upload',
    });
    expect(res.ok, JSON.stringify(!res.ok && res.errors)).toBe(true);
  });

  it('accepts a UTF-8 byte-order mark at the start of the file', () => {
    expect(validateProtocol('\uFEFF' + EXAMPLE_TEXT).ok).toBe(true);
  });
});

/**
 * A catalogue of bad files: each names the field that must be reported and a word of the
 * reason. Every error must point at a field (dotted path), never only "invalid".
 */
const BAD: Array<{ name: string; input: unknown; path: string; says: RegExp }> = [
  { name: 'not JSON', input: '{ "format": 1, ', path: '(file)', says: /not valid JSON/ },
  { name: 'JSON with a trailing comma', input: '{ "format": 1, }', path: '(file)', says: /not valid JSON.*line 1/ },
  { name: 'empty file', input: '   ', path: '(file)', says: /empty/ },
  { name: 'an array, not an object', input: '[]', path: '(file)', says: /JSON object/ },
  { name: 'unsupported format', input: variant((p) => (p.format = 2)), path: 'format', says: /must be 1/ },
  { name: 'format missing', input: variant((p) => delete p.format), path: 'format', says: /required/ },
  { name: 'studyId with spaces', input: variant((p) => (p.studyId = 'My Study')), path: 'studyId', says: /lower-case/ },
  { name: 'studyId missing', input: variant((p) => delete p.studyId), path: 'studyId', says: /required/ },
  { name: 'title not bilingual', input: variant((p) => (p.title = 'Just English')), path: 'title', says: /"en" and "zh_CN"/ },
  { name: 'title without zh_CN', input: variant((p) => delete p.title.zh_CN), path: 'title.zh_CN', says: /required/ },
  { name: 'no researchers', input: variant((p) => (p.researchers = [])), path: 'researchers', says: /at least one/ },
  { name: 'researcher without a name', input: variant((p) => delete p.researchers[1].name), path: 'researchers.1.name', says: /required/ },
  { name: 'contact e-mail malformed', input: variant((p) => (p.contact.email = 'not-an-email')), path: 'contact.email', says: /e-mail/ },
  { name: 'contact url over http', input: variant((p) => (p.contact.url = 'http://example.edu')), path: 'contact.url', says: /https/ },
  { name: 'consent text too short', input: variant((p) => (p.consent.en = 'OK?')), path: 'consent.en', says: /at least 50/ },
  { name: 'consent in zh_CN missing', input: variant((p) => delete p.consent.zh_CN), path: 'consent.zh_CN', says: /required/ },
  { name: 'duration zero', input: variant((p) => (p.durationDays = 0)), path: 'durationDays', says: /at least 1/ },
  { name: 'duration not whole', input: variant((p) => (p.durationDays = 2.5)), path: 'durationDays', says: /whole number/ },
  { name: 'duration as a string', input: variant((p) => (p.durationDays = '14')), path: 'durationDays', says: /whole number/ },
  { name: 'no arms', input: variant((p) => (p.arms = [])), path: 'arms', says: /at least one arm/ },
  { name: 'arm weight zero', input: variant((p) => (p.arms[1].weight = 0)), path: 'arms.1.weight', says: /greater than 0/ },
  { name: 'arm weight negative', input: variant((p) => (p.arms[2].weight = -1)), path: 'arms.2.weight', says: /greater than 0/ },
  { name: 'duplicate arm ids', input: variant((p) => (p.arms[2].id = 'every-20')), path: 'arms.2.id', says: /duplicate/ },
  { name: 'arm cadence out of range', input: variant((p) => (p.arms[1].cadence.everyPosts = 5000)), path: 'arms.1.cadence.everyPosts', says: /at most 1000/ },
  { name: 'arm overrides an unknown setting', input: variant((p) => (p.arms[1].cadence.speed = 3)), path: 'arms.1.cadence.speed', says: /unknown field/ },
  { name: 'misspelt arm field', input: variant((p) => (p.arms[0].frame = false)), path: 'arms.0.frame', says: /unknown field/ },
  { name: 'frames not a boolean', input: variant((p) => (p.arms[0].frames = 'no')), path: 'arms.0.frames', says: /true or false/ },
  { name: 'unknown randomisation', input: variant((p) => (p.randomisation.method = 'coin-flip')), path: 'randomisation.method', says: /stable-hash/ },
  { name: 'unknown measure', input: variant((p) => p.measures.push('keystrokes')), path: 'measures.9', says: /must be one of/ },
  { name: 'the old scroll_velocity measure', input: variant((p) => (p.measures[2] = 'scroll_velocity')), path: 'measures.2', says: /now part of "decisions"/ },
  { name: 'no measures', input: variant((p) => (p.measures = [])), path: 'measures', says: /at least one/ },
  { name: 'measure listed twice', input: variant((p) => p.measures.push('sessions')), path: 'measures', says: /twice/ },
  {
    name: 'survey without a question',
    input: variant((p) => delete p.experienceSampling),
    path: 'experienceSampling',
    says: /required when measures include "survey"/,
  },
  {
    name: 'question without the survey measure',
    input: variant((p) => (p.measures = p.measures.filter((m: string) => m !== 'survey'))),
    path: 'measures',
    says: /include "survey"/,
  },
  { name: 'pShow above 1', input: variant((p) => (p.arms[1].pShow = 1.5)), path: 'arms.1.pShow', says: /at most 1/ },
  { name: 'pShow in an arm without frames', input: variant((p) => (p.arms[0].pShow = 0.5)), path: 'arms.0.pShow', says: /must be 0/ },
  {
    name: 'a survey that can never be offered (no probability, no schedule)',
    input: variant((p) => (delete p.experienceSampling.probability, delete p.experienceSampling.schedule)),
    path: 'experienceSampling',
    says: /never offered/,
  },
  {
    name: 'a question only on frames when no arm shows frames',
    input: variant((p) => ((p.arms = [{ id: 'a', weight: 1, frames: false }]), delete p.experienceSampling.schedule)),
    path: 'experienceSampling.schedule',
    says: /no arm shows frames/,
  },
  {
    name: 'decision points that vanish',
    input: variant((p) => (p.decisionPoints = { everyPosts: 0, everyMinutes: 0 })),
    path: 'decisionPoints',
    says: /without decision points/,
  },
  {
    name: 'an arm cadence without any decision points',
    input: variant((p) => (p.arms[1].cadence = { everyPosts: 0, everyMinutes: 0 })),
    path: 'arms.1.cadence',
    says: /without decision points/,
  },
  {
    name: 'list allocation without a list',
    input: variant((p) => ((p.randomisation = { method: 'list' }), (p.enrolment.codes = 'required'))),
    path: 'randomisation.list',
    says: /required/,
  },
  {
    name: 'list allocation without required codes',
    input: variant((p) => (p.randomisation = { method: 'list', list: [{ codeSha256: 'a'.repeat(64), arm: 'control' }] })),
    path: 'enrolment.codes',
    says: /must be "required"/,
  },
  {
    name: 'a list row naming an unknown arm',
    input: variant((p) => ((p.randomisation = { method: 'list', list: [{ codeSha256: 'a'.repeat(64), arm: 'nope' }] }), (p.enrolment.codes = 'required'))),
    path: 'randomisation.list.0.arm',
    says: /not one of the arms/,
  },
  {
    name: 'a list code that is not a SHA-256',
    input: variant((p) => ((p.randomisation = { method: 'list', list: [{ codeSha256: 'K7Q2', arm: 'control' }] }), (p.enrolment.codes = 'required'))),
    path: 'randomisation.list.0.codeSha256',
    says: /SHA-256/,
  },
  {
    name: 'an ethics block without an independent contact',
    input: variant((p) => delete p.ethics.independentContact),
    path: 'ethics.independentContact',
    says: /required/,
  },
  { name: 'an ethics block without retention', input: variant((p) => delete p.ethics.retention), path: 'ethics.retention', says: /required/ },
  { name: 'an ethics block without risks', input: variant((p) => delete p.ethics.risks), path: 'ethics.risks', says: /required/ },
  { name: 'an ethics block without a minimum age', input: variant((p) => delete p.ethics.minimumAge), path: 'ethics.minimumAge', says: /required/ },
  { name: 'a minimum age below 13', input: variant((p) => (p.ethics.minimumAge = 10)), path: 'ethics.minimumAge', says: /at least 13/ },
  {
    name: 'quiet hours with a bad time',
    input: variant((p) => ((p.lock.schedule = true), (p.arms[1].schedule = { mode: 'except', windows: [{ days: [], start: '25:00', end: '07:00' }] }))),
    path: 'arms.1.schedule.windows.0.start',
    says: /HH:MM/,
  },
  { name: 'probability above 1', input: variant((p) => (p.experienceSampling.probability = 1.5)), path: 'experienceSampling.probability', says: /at most 1/ },
  { name: 'probability zero', input: variant((p) => (p.experienceSampling.probability = 0)), path: 'experienceSampling.probability', says: /above 0/ },
  { name: 'scale max not above min', input: variant((p) => (p.experienceSampling.max = 1)), path: 'experienceSampling.max', says: /greater than min/ },
  { name: 'scale too long', input: variant((p) => (p.experienceSampling.max = 11)), path: 'experienceSampling.max', says: /at most 10/ },
  { name: 'endpoint over http', input: variant((p) => (p.endpoint = 'http://collector.example.org')), path: 'endpoint', says: /https/ },
  {
    name: 'endpoint with credentials',
    input: variant((p) => (p.endpoint = 'https://user:pw@collector.example.org')),
    path: 'endpoint',
    says: /user name or password/,
  },
  { name: 'endpoint not a URL', input: variant((p) => (p.endpoint = 'collector')), path: 'endpoint', says: /URL/ },
  { name: 'velocity window too short', input: variant((p) => (p.velocityWindowSeconds = 1)), path: 'velocityWindowSeconds', says: /at least 2/ },
  { name: 'unknown top-level field', input: variant((p) => (p.participants = 40)), path: 'participants', says: /unknown field/ },
];

/** Protocols that work but probably do not do what was meant: accepted, with a warning on the field. */
const WARN: Array<{ name: string; input: unknown; path: string; says: RegExp }> = [
  {
    name: 'a cadence in an arm without frames',
    input: variant((p) => (p.arms[0].cadence = { everyPosts: 10 })),
    path: 'arms.0.cadence',
    says: /no effect in an arm without frames/,
  },
  { name: 'identical arms', input: variant((p) => (p.arms[2].cadence = { ...p.arms[1].cadence })), path: 'arms.2', says: /same dose as arms.1/ },
  { name: 'a weight that leaves an arm nearly empty', input: variant((p) => (p.arms[2].weight = 0.01)), path: 'arms.2.weight', says: /only 0.5 %/ },
  { name: 'no ethics block', input: variant((p) => delete p.ethics), path: 'ethics', says: /is missing/ },
  {
    name: 'no decisions measure',
    input: variant((p) => (p.measures = p.measures.filter((m: string) => m !== 'decisions'))),
    path: 'measures',
    says: /pause effect cannot be estimated/,
  },
  {
    name: 'impressions with no arm that shows frames',
    input: variant((p) => (p.arms = [{ id: 'c', weight: 1, frames: false }])),
    path: 'measures',
    says: /no arm shows frames/,
  },
  {
    name: 'a question on frames while a control arm is never asked',
    input: variant((p) => delete p.experienceSampling.schedule),
    path: 'experienceSampling.schedule',
    says: /"control" shows no frames and will never be asked/,
  },
  {
    name: 'arm quiet hours without the lock',
    input: variant((p) => (p.arms[1].schedule = { mode: 'except', windows: [] })),
    path: 'arms.1.schedule',
    says: /ignored unless/,
  },
];

describe('study protocol: warnings for protocols that run but probably miss their point', () => {
  for (const c of WARN) {
    it(`warns about ${c.name} → ${c.path}`, () => {
      const res = validateProtocol(JSON.stringify(c.input));
      expect(res.ok, JSON.stringify(!res.ok && res.errors)).toBe(true);
      const hit = res.warnings.find((e) => e.path === c.path);
      expect(hit, `warnings were: ${res.warnings.map(formatFieldError).join(' | ')}`).toBeDefined();
      expect(hit!.message).toMatch(c.says);
    });
  }
});

describe('study protocol: a catalogue of bad files', () => {
  for (const c of BAD) {
    it(`rejects ${c.name} → ${c.path}`, () => {
      const input = typeof c.input === 'string' ? c.input : JSON.stringify(c.input);
      const res = validateProtocol(input);
      expect(res.ok).toBe(false);
      if (res.ok) return;
      const hit = res.errors.find((e) => e.path === c.path);
      expect(hit, `errors were: ${res.errors.map(formatFieldError).join(' | ')}`).toBeDefined();
      expect(hit!.message).toMatch(c.says);
    });
  }

  it('reports every broken field of a file at once, one message per field', () => {
    const res = validateProtocol(
      variant((p) => {
        p.durationDays = -3;
        p.arms[1].weight = 0;
        p.contact.email = 'x';
      }),
    );
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors.map((e) => e.path).sort()).toEqual(['arms.1.weight', 'contact.email', 'durationDays']);
  });

  it('never throws, whatever it is given', () => {
    for (const x of [null, undefined, 42, 'null', '"text"', '{}', { format: 1 }, [], '\u0000']) {
      expect(() => validateProtocol(x)).not.toThrow();
      expect(validateProtocol(x).ok).toBe(false);
    }
  });

  it('formats an error as "path: message"', () => {
    expect(formatFieldError({ path: 'arms.1.weight', message: 'must be greater than 0' })).toBe('arms.1.weight: must be greater than 0');
  });
});
