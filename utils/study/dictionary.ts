import type { Measure } from './protocol';

/**
 * The data dictionary: every table of the export and every column in it, in order. The
 * export builder writes exactly these columns (tests/unit/study-export.test.ts holds it to
 * that), and the dictionary itself goes into the export as data-dictionary.csv/.json.
 */
export type ColumnType = 'string' | 'integer' | 'number' | 'datetime' | 'boolean';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  unit?: string;
  description: string;
}

export interface TableDef {
  /** One sentence: what one row is. */
  row: string;
  columns: ColumnDef[];
}

export type ExportTable = 'participant' | Measure;

const who: ColumnDef[] = [
  { name: 'participant_id', type: 'string', description: 'Random pseudonymous participant id (SF-XXXX-XXXX-XXXX-XXXX), created at consent.' },
  { name: 'arm', type: 'string', description: 'Study arm the participant was assigned to (arms[].id in the protocol).' },
];

export const DATA_DICTIONARY: Record<ExportTable, TableDef> = {
  participant: {
    row: 'The participant and their enrolment (always exactly one row).',
    columns: [
      ...who,
      { name: 'study_id', type: 'string', description: 'studyId of the protocol.' },
      { name: 'protocol_version', type: 'string', description: "The researcher's version of the protocol (version)." },
      { name: 'consented_at', type: 'datetime', description: 'When the participant agreed to the consent text (UTC, ISO 8601).' },
      { name: 'started_at', type: 'datetime', description: 'Start of day 1 of the study (UTC).' },
      { name: 'ends_at', type: 'datetime', description: 'End of the last study day (UTC); nothing is logged after it.' },
      { name: 'duration_days', type: 'integer', unit: 'days', description: 'durationDays of the protocol.' },
      { name: 'consent_locale', type: 'string', description: 'Language the consent text was shown in (en or zh_CN).' },
      { name: 'upload_consent', type: 'boolean', description: "Whether the participant also agreed to send the export to the protocol's endpoint." },
      { name: 'extension_version', type: 'string', description: 'Stillframe version at the time of export.' },
      { name: 'exported_at', type: 'datetime', description: 'When this export was made (UTC).' },
      { name: 'utc_offset_min', type: 'integer', unit: 'minutes', description: "The device's UTC offset at export (local time = UTC + offset), for time-of-day analyses." },
    ],
  },
  sessions: {
    row: 'One feed session: continuous use of one site, ended by 10 minutes without scrolling.',
    columns: [
      ...who,
      { name: 'session_id', type: 'string', description: 'Id of the session, unique within this export.' },
      { name: 'site_key', type: 'string', description: 'Which feed: x, reddit, youtube, … ("custom" for any site the participant added; never a URL).' },
      { name: 'start_at', type: 'datetime', description: 'First scrolling of the session (UTC).' },
      { name: 'end_at', type: 'datetime', description: 'Last scrolling of the session (UTC).' },
      { name: 'duration_s', type: 'number', unit: 'seconds', description: 'end_at − start_at.' },
      { name: 'posts', type: 'integer', unit: 'posts', description: 'Posts that came into view during the session.' },
    ],
  },
  posts_per_minute: {
    row: 'Posts that came into view in one clock minute on one site (minutes with none are absent).',
    columns: [
      ...who,
      { name: 'minute_start', type: 'datetime', description: 'Start of the minute (UTC). Posts are reported in batches of about 10, so a count may land in the minute its batch was sent.' },
      { name: 'site_key', type: 'string', description: 'Which feed (as in sessions).' },
      { name: 'posts', type: 'integer', unit: 'posts', description: 'Posts passed in that minute.' },
    ],
  },
  impressions: {
    row: 'One frame (pause) inserted into a feed.',
    columns: [
      ...who,
      { name: 'impression_id', type: 'string', description: 'Id of the impression; scroll_velocity and survey rows refer to it.' },
      { name: 'shown_at', type: 'datetime', description: 'When the frame was granted and inserted below the fold (UTC).' },
      { name: 'site_key', type: 'string', description: 'Which feed (as in sessions).' },
      { name: 'frame_id', type: 'string', description: "The frame's id (curated frames: collection:number; the participant's own images: user:<random id>)." },
      { name: 'collection', type: 'string', description: 'The collection the frame came from.' },
      { name: 'posts_before', type: 'integer', unit: 'posts', description: 'Posts passed on this site since the previous frame.' },
      { name: 'first_visible_at', type: 'datetime', description: 'When at least 50 % of the frame first came into view in a visible tab (UTC); empty if it never did.' },
      { name: 'visible_ms', type: 'integer', unit: 'ms', description: 'Total time at least 50 % of the frame was in view in a visible tab; empty if not yet measured (tab closed before).' },
      { name: 'action', type: 'string', description: 'What the participant did: continue, break, fewer, or none (scrolled on).' },
      { name: 'survey_offered', type: 'boolean', description: 'Whether this frame carried the experience-sampling question.' },
    ],
  },
  scroll_velocity: {
    row: 'Scroll speed in a window before a frame came into view and in a window after (the pause effect).',
    columns: [
      ...who,
      { name: 'impression_id', type: 'string', description: 'The frame (impressions.impression_id).' },
      { name: 'site_key', type: 'string', description: 'Which feed (as in sessions).' },
      { name: 'window_s', type: 'number', unit: 'seconds', description: 'Window length set by the protocol (velocityWindowSeconds).' },
      { name: 'before_s', type: 'number', unit: 'seconds', description: 'Actual length of the before window (shorter if the feed was opened less than window_s before).' },
      { name: 'before_posts_per_min', type: 'number', unit: 'posts/min', description: 'Posts passed per minute in the before window.' },
      { name: 'before_px_per_s', type: 'number', unit: 'px/s', description: 'Page scroll distance per second in the before window (0 on sites that scroll an inner pane).' },
      { name: 'after_s', type: 'number', unit: 'seconds', description: 'Actual length of the after window, from first view of the frame (shorter if the tab was hidden or closed).' },
      { name: 'after_posts_per_min', type: 'number', unit: 'posts/min', description: 'Posts passed per minute in the after window.' },
      { name: 'after_px_per_s', type: 'number', unit: 'px/s', description: 'Page scroll distance per second in the after window.' },
      { name: 'slowdown_pct', type: 'number', unit: '%', description: '(before − after) / before × 100, on px/s when the page scrolls, else on posts/min; empty when before is 0.' },
    ],
  },
  survey: {
    row: 'One answer to the experience-sampling question.',
    columns: [
      ...who,
      { name: 'impression_id', type: 'string', description: 'The frame that carried the question.' },
      { name: 'answered_at', type: 'datetime', description: 'When it was answered (UTC).' },
      { name: 'question_id', type: 'string', description: 'experienceSampling.id of the protocol.' },
      { name: 'answer', type: 'integer', description: 'The chosen point of the scale (experienceSampling.min … max).' },
    ],
  },
  settings_changes: {
    row: 'One setting the participant changed during the study.',
    columns: [
      ...who,
      { name: 'changed_at', type: 'datetime', description: 'When (UTC).' },
      { name: 'field', type: 'string', description: 'Dotted name of the setting, e.g. cadence.everyPosts, sites.x.enabled, snooze ("custom" stands for any added site).' },
      { name: 'value', type: 'string', description: 'New value for numbers, switches and choices; empty for lists and for anything that could name a site.' },
    ],
  },
  versions: {
    row: 'The Stillframe version in use, recorded at enrolment and at every update.',
    columns: [
      ...who,
      { name: 'recorded_at', type: 'datetime', description: 'When (UTC).' },
      { name: 'extension_version', type: 'string', description: 'Stillframe version (manifest version).' },
      { name: 'event', type: 'string', description: 'enrolled or updated.' },
    ],
  },
};

export const EXPORT_TABLES = Object.keys(DATA_DICTIONARY) as ExportTable[];
