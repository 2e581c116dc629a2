import type * as v from 'valibot';
import { CadenceSchema, SettingsSchema, type SettingsIssue } from '@/utils/storage/settings';
import { SUPPORTED_SITES } from '@/utils/feeds/registry';
import { CURATED_COLLECTIONS } from '@/utils/frames/library';
import { CADENCE_FIELDS, schemaLimits } from './cadence-form';

type T = (key: string, params?: Record<string, string | number>) => string;

/** Number fields whose allowed range a sentence can name, by dotted path. */
const RANGES: Record<string, v.GenericSchema> = {
  ...Object.fromEntries(Object.entries(CadenceSchema.entries).map(([k, s]) => [`cadence.${k}`, s])),
  breakMinutes: SettingsSchema.entries.breakMinutes,
  'stoppingPoint.posts': SettingsSchema.entries.stoppingPoint.entries.posts,
};

/** The setting a path belongs to, in the words the options page uses for it. */
export function fieldName(path: string, t: T): string {
  const [head, second] = path.split('.');
  const cadence = CADENCE_FIELDS.find((f) => `cadence.${f.key}` === path);
  if (cadence) return t(cadence.label);
  switch (head) {
    case '':
      return t('options.import.field.file');
    case 'version':
      return t('options.import.field.version');
    case 'enabled':
      return t('options.sites.global');
    case 'cadence':
      return t('options.cadence.title');
    case 'schedule': {
      const row = /^schedule\.windows\.(\d+)/.exec(path);
      return row ? t('options.import.field.window', { n: Number(row[1]) + 1 }) : t('options.schedule.title');
    }
    case 'sites': {
      const site = SUPPORTED_SITES.find((s) => s.key === second);
      return t('options.import.field.site', { site: site?.name ?? (second ?? '').replace(/^(custom|mastodon):/, '') });
    }
    case 'collections': {
      const curated = CURATED_COLLECTIONS.find((c) => c.id === second);
      return t('options.import.field.collection', { name: curated ? t(curated.nameKey) : (second ?? '') });
    }
    case 'wordLanguages':
      return t('options.library.words.title');
    case 'locale':
      return t('common.language');
    case 'gentleHold':
      return t('options.cadence.gentleHold');
    case 'customSites':
      return t('options.sites.custom.title');
    case 'breakMinutes':
      return t('options.breaks.length');
    case 'stoppingPoint':
      return t('options.stop.switch');
    default:
      return path;
  }
}

/**
 * One refused field of an imported settings file, as a sentence in the UI language: which
 * setting, what the file has, and for numbers what it may be. Never a raw schema message.
 */
export function issueSentence(issue: SettingsIssue, t: T): string {
  const field = fieldName(issue.path, t);
  if (issue.received === 'undefined') return t('options.import.missing', { field });
  const value = issue.received.length > 40 ? `${issue.received.slice(0, 40)}…` : issue.received;
  const range = RANGES[issue.path];
  if (range) {
    const l = schemaLimits(range);
    return t(l.integer ? 'options.import.rangeWhole' : 'options.import.range', { field, value, min: l.min, max: l.max });
  }
  return t('options.import.invalidValue', { field, value });
}
