import type { Measure } from './protocol';

/**
 * The data dictionary: every table of the export and every column in it, in order. The
 * export builder writes exactly these columns (tests/unit/study-export.test.ts holds it to
 * that), and the dictionary itself goes into the export as data-dictionary.csv/.json.
 *
 * Every table starts with the same five columns (study, protocol version and hash, participant,
 * arm), so files of many participants and studies can simply be concatenated and still say
 * where each row came from. Units are in the column names where a number has one (px/s,
 * posts/min, _ms, _s, _px).
 */
export type ColumnType = 'string' | 'integer' | 'number' | 'datetime' | 'boolean';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  unit?: string;
  description: string;
  /** Decimal places a 'number' keeps in the export (default 3; an allocation value keeps all, so it can be recomputed exactly). */
  digits?: number;
}

export interface TableDef {
  /** One sentence: what one row is. */
  row: string;
  columns: ColumnDef[];
}

export type ExportTable = 'participants' | Measure;

const who: ColumnDef[] = [
  { name: 'study_id', type: 'string', description: 'studyId of the protocol.' },
  { name: 'protocol_version', type: 'string', description: "The researcher's version of the protocol (version)." },
  {
    name: 'protocol_hash',
    type: 'string',
    description:
      'SHA-256 of the canonical JSON of the protocol the participant agreed to (keys sorted, defaults filled): the same hash means the same protocol.',
  },
  { name: 'participant_id', type: 'string', description: 'Random pseudonymous participant id (SF-XXXX-XXXX-XXXX-XXXX), created at consent.' },
  { name: 'arm', type: 'string', description: 'Study arm the participant was assigned to (arms[].id in the protocol).' },
];

const offset: ColumnDef = {
  name: 'utc_offset_min',
  type: 'integer',
  unit: 'minutes',
  description: "The device's UTC offset at that moment (local time = UTC + offset); changes with daylight saving and travel.",
};
const site: ColumnDef = {
  name: 'site_key',
  type: 'string',
  description: 'Which feed: x, reddit, youtube, … ("custom" for any site the participant added, "mastodon" for any Mastodon server; never a URL).',
};
const session: ColumnDef = {
  name: 'session_id',
  type: 'string',
  description: 'The feed session (sessions.session_id) this happened in; empty if none was open.',
};

const windowCols = (side: 'before' | 'after'): ColumnDef[] => {
  const when = side === 'before' ? 'in the window before the decision point came into view' : 'in the window after it came into view';
  const empty = side === 'after' ? ' Empty when the after-window was censored (see censored).' : ' Empty when not measured.';
  return [
    {
      name: `${side}_ms`,
      type: 'integer',
      unit: 'ms',
      description: `Length of the window actually measured ${when} (shorter than window_s when the feed had been open for less).${empty}`,
    },
    { name: `${side}_posts`, type: 'integer', unit: 'posts', description: `Posts that came into view ${when}.${empty}` },
    {
      name: `${side}_px_travelled`,
      type: 'integer',
      unit: 'px',
      description: `Distance travelled ${when}: the sum of |Δy| between sampled scroll positions (posts coming into view, at most every 250 ms, and each end of a scroll gesture). 0 on sites that scroll an inner pane.${empty}`,
    },
    {
      name: `${side}_px_net`,
      type: 'integer',
      unit: 'px',
      description: `Net displacement ${when}: scroll position at its end minus at its start (negative = scrolled back up).${empty}`,
    },
  ];
};

export const DATA_DICTIONARY: Record<ExportTable, TableDef> = {
  participants: {
    row: 'The participant, their allocation and their enrolment (always exactly one row per export).',
    columns: [
      ...who,
      {
        name: 'allocation_method',
        type: 'string',
        description: 'stable-hash (hash of allocation_seed and the participant id or enrolment code) or list (the protocol\u2019s allocation list).',
      },
      {
        name: 'allocation_value',
        type: 'number',
        digits: 17,
        description:
          'stable-hash: the point u in [0, 1) that picked the arm (cumulative weights); list: the 0-based row of randomisation.list. Recompute with allocateArm (utils/study/allocation.ts).',
      },
      { name: 'allocation_seed', type: 'string', description: 'The seed mixed into the hash (randomisation.seed, else studyId); "list" for list allocation.' },
      { name: 'allocation_key', type: 'string', description: 'What the allocation was computed from: participant_id or enrolment_code.' },
      { name: 'stratum', type: 'string', description: 'The stratum of the allocation-list row; empty otherwise.' },
      {
        name: 'enrolment_code',
        type: 'string',
        description:
          'The researcher-issued enrolment code the participant entered (normalised: upper case, no spaces or dashes); empty when none. Links the export to your own records (e.g. a screening survey).',
      },
      {
        name: 'status',
        type: 'string',
        description: 'active (the study runs), or finished (its last day is over). A withdrawn participant has no export: withdrawing deletes the data.',
      },
      { name: 'enrolled_at', type: 'datetime', description: 'When the participant agreed to the consent text and the study began (UTC, ISO 8601).' },
      { name: 'ends_at', type: 'datetime', description: 'End of the last study day (UTC); nothing is logged after it.' },
      { name: 'duration_days', type: 'integer', unit: 'days', description: 'durationDays of the protocol.' },
      { name: 'consent_locale', type: 'string', description: 'Language the consent text was shown in (en or zh_CN).' },
      {
        name: 'eligibility_confirmed',
        type: 'boolean',
        description: 'The participant ticked the protocol\u2019s eligibility and minimum-age box (always true when the protocol has an ethics block).',
      },
      { name: 'upload_consent', type: 'boolean', description: "Whether the participant also agreed to send the export to the protocol's endpoint." },
      {
        name: 'previous_withdrawal_at',
        type: 'datetime',
        description: 'When this device withdrew from the same study before (the participant id and arm were kept); empty when never.',
      },
      { name: 'extension_version', type: 'string', description: 'Stillframe version at the time of export.' },
      { name: 'exported_at', type: 'datetime', description: 'When this export was made (UTC).' },
      { ...offset, description: "The device's UTC offset at export (each row of the other tables has its own)." },
    ],
  },
  sessions: {
    row: 'One feed session: continuous use of one site, ended by 10 minutes without scrolling.',
    columns: [
      ...who,
      { name: 'session_id', type: 'string', description: 'Id of the session, unique within this export.' },
      site,
      { name: 'start_at', type: 'datetime', description: 'First scrolling of the session (UTC).' },
      { name: 'end_at', type: 'datetime', description: 'Last scrolling of the session (UTC).' },
      offset,
      { name: 'duration_s', type: 'number', unit: 'seconds', description: 'end_at − start_at.' },
      {
        name: 'posts',
        type: 'integer',
        unit: 'posts',
        description: 'Posts that came into view during the session, whatever the frame state (snoozed, site switched off, quiet hours).',
      },
    ],
  },
  posts_per_minute: {
    row: 'Posts that came into view in one clock minute on one site (minutes with none are absent).',
    columns: [
      ...who,
      {
        name: 'minute_start',
        type: 'datetime',
        description: 'Start of the minute (UTC). Posts are reported in batches of about 10, so a count may land in the minute its batch was sent.',
      },
      offset,
      site,
      session,
      { name: 'posts', type: 'integer', unit: 'posts', description: 'Posts passed in that minute.' },
    ],
  },
  decisions: {
    row: 'One decision point: a moment a frame was due, with the draw (shown or withheld), its probability and the scrolling around it — in every arm, shown or not.',
    columns: [
      ...who,
      session,
      { name: 'decision_id', type: 'string', description: 'Id of the decision point.' },
      { name: 'ts', type: 'datetime', description: 'When the decision was made (UTC): the tab came near the place a frame was due and asked.' },
      offset,
      site,
      {
        name: 'p_show',
        type: 'number',
        unit: 'probability',
        digits: 9,
        description: 'The probability of showing the frame used for this draw (the arm\u2019s pShow: 0 in a control arm).',
      },
      { name: 'shown', type: 'boolean', description: 'The draw said show and a frame was granted (false when withheld, or when not available).' },
      {
        name: 'available',
        type: 'boolean',
        description:
          'A frame could have been delivered (no snooze, quiet hours, switch, daily cap or minimum gap stood in the way). Unavailable points were not randomised.',
      },
      { name: 'impression_id', type: 'string', description: 'The frame shown (impressions.impression_id); empty when withheld or unavailable.' },
      ...windowCols('before'),
      ...windowCols('after'),
      {
        name: 'velocity_before_px_s',
        type: 'number',
        unit: 'px/s',
        description: 'before_px_travelled / before_ms: scrolling speed as distance travelled per second.',
      },
      {
        name: 'velocity_after_px_s',
        type: 'number',
        unit: 'px/s',
        description: 'after_px_travelled / after_ms (includes scrolling over the frame when one was shown).',
      },
      { name: 'posts_per_min_before', type: 'number', unit: 'posts/min', description: 'before_posts per minute of before_ms.' },
      { name: 'posts_per_min_after', type: 'number', unit: 'posts/min', description: 'after_posts per minute of after_ms.' },
      {
        name: 'overlaps_previous',
        type: 'boolean',
        description: 'The before-window overlaps the after-window of the previous decision point in the same tab (they came less than 2 × window_s apart).',
      },
      {
        name: 'censored',
        type: 'string',
        description:
          'Why the windows are incomplete: not-reached (the place never came into view), hidden (the tab was hidden during a window), page-left, navigated, unavailable, pending (the tab never reported); empty when complete.',
      },
      {
        name: 'unavailable_reason',
        type: 'string',
        description: 'For available = false: snoozed, quiet-hours, disabled, site-off, daily-cap, min-gap or no-frame.',
      },
      { name: 'window_s', type: 'number', unit: 'seconds', description: 'Window length set by the protocol (velocityWindowSeconds).' },
      {
        name: 'reached_at',
        type: 'datetime',
        description:
          'When the decision point\u2019s place first came into view: the frame\u2019s top edge (shown), or the next post\u2019s (withheld) — the same place in the feed, the centre of both windows.',
      },
      {
        name: 'survey_offered',
        type: 'boolean',
        description:
          'The survey question came with this decision point (inside the frame, or as a card in its place): exclude these when the question itself could change scrolling.',
      },
    ],
  },
  impressions: {
    row: 'One frame (pause) shown in a feed, with its exposure measured once (see docs/STUDY.md, exposure).',
    columns: [
      ...who,
      { name: 'impression_id', type: 'string', description: 'Id of the impression; decisions and survey rows refer to it.' },
      { name: 'decision_id', type: 'string', description: 'The decision point that showed it (decisions.decision_id).' },
      session,
      { name: 'granted_at', type: 'datetime', description: 'When the background granted the frame (UTC), the same instant as decisions.ts.' },
      { name: 'inserted_at', type: 'datetime', description: 'When the tab put the frame into the page, below the fold (UTC); empty if it never did.' },
      offset,
      site,
      { name: 'frame_id', type: 'string', description: "The frame's id (curated frames: collection:number; the participant's own images: user:<random id>)." },
      { name: 'collection', type: 'string', description: 'The collection the frame came from.' },
      { name: 'posts_before', type: 'integer', unit: 'posts', description: 'Posts passed on this site since the previous frame.' },
      {
        name: 'exposure_method',
        type: 'string',
        description: 'io-v2 (IntersectionObserver v2: a covered, transparent or transformed frame is not visible) or io-v1 (geometry only).',
      },
      { name: 'first_visible_at', type: 'datetime', description: 'When at least 70 % of the frame was first visible in a visible tab (UTC); empty if never.' },
      { name: 'max_visible_ratio', type: 'number', unit: 'ratio', description: 'Largest share of the frame visible at once (0–1).' },
      { name: 'in_view_ms', type: 'integer', unit: 'ms', description: 'Time at least 70 % visible in a visible tab.' },
      {
        name: 'attended_ms',
        type: 'integer',
        unit: 'ms',
        description: 'The part of in_view_ms with the window focused and the participant\u2019s own input (wheel, touch, key, pointer) in the last 30 s.',
      },
      { name: 'longest_attended_ms', type: 'integer', unit: 'ms', description: 'Longest continuous attended stretch.' },
      {
        name: 'seen',
        type: 'boolean',
        description: 'longest_attended_ms ≥ 1000: the one exposure flag (WebScience-style). Empty if the tab could not report.',
      },
      { name: 'action', type: 'string', description: 'What the participant did: continue, break, fewer, or none (scrolled on).' },
      { name: 'survey_offered', type: 'boolean', description: 'Whether this frame carried the survey question.' },
    ],
  },
  survey: {
    row: 'One offer of the survey question — inside a frame or as a card of its own — and its answer, if any.',
    columns: [
      ...who,
      { name: 'offer_id', type: 'string', description: 'Id of the offer.' },
      session,
      { name: 'question_id', type: 'string', description: 'experienceSampling.id of the protocol.' },
      {
        name: 'trigger',
        type: 'string',
        description: 'What offered it: frame (probability on a shown frame), posts or time (the question\u2019s own schedule), decision (atDecisionPoints).',
      },
      { name: 'decision_id', type: 'string', description: 'The decision point it came with (trigger frame or decision); empty otherwise.' },
      { name: 'impression_id', type: 'string', description: 'The frame that carried it (trigger frame); empty otherwise.' },
      { name: 'offered_at', type: 'datetime', description: 'When the offer was made (UTC).' },
      offset,
      site,
      { name: 'displayed_at', type: 'datetime', description: 'When the question was first at least half in view (UTC); empty if never.' },
      { name: 'answered_at', type: 'datetime', description: 'When it was answered (UTC); empty if not.' },
      { name: 'answer', type: 'integer', description: 'The chosen point of the scale (experienceSampling.min … max); empty if not answered.' },
      { name: 'dismissed', type: 'boolean', description: 'The participant pressed "Not now" on the card.' },
    ],
  },
  censoring: {
    row: 'An interval in which frames could not be shown (or measurement could not happen), and why.',
    columns: [
      ...who,
      { name: 'interval_id', type: 'string', description: 'Id of the interval.' },
      {
        name: 'cause',
        type: 'string',
        description:
          'snoozed, on-break (the feed put away for a break: nothing can be scrolled), quiet-hours, disabled (Stillframe switched off), site-off, daily-cap.',
      },
      { name: 'site_key', type: 'string', description: 'The feed it applied to (as in sessions); empty for every site.' },
      { name: 'start_at', type: 'datetime', description: 'When it began (UTC), as first noticed: at the change itself, or at the next scrolling.' },
      { name: 'end_at', type: 'datetime', description: 'When it ended (UTC); empty while it lasts.' },
      offset,
      {
        name: 'affects',
        type: 'string',
        description: 'frames: no frame could be shown (scrolling was still measured); measurement: nothing could be measured.',
      },
    ],
  },
  settings_changes: {
    row: 'One setting the participant changed during the study.',
    columns: [
      ...who,
      { name: 'changed_at', type: 'datetime', description: 'When (UTC).' },
      offset,
      {
        name: 'field',
        type: 'string',
        description: 'Dotted name of the setting, e.g. cadence.everyPosts, sites.x.enabled, snooze ("custom" stands for any added site).',
      },
      { name: 'value', type: 'string', description: 'New value for numbers, switches and choices; empty for lists and for anything that could name a site.' },
    ],
  },
  settings_snapshots: {
    row: 'All settings at enrolment and after every change: the participant\u2019s own and the dose the study applied, sanitised.',
    columns: [
      ...who,
      { name: 'snapshot_id', type: 'string', description: 'Id of the snapshot.' },
      { name: 'recorded_at', type: 'datetime', description: 'When (UTC).' },
      offset,
      { name: 'event', type: 'string', description: 'enrolled, settings (a change in options or popup), or snooze.' },
      { name: 'p_show', type: 'number', unit: 'probability', description: 'The arm\u2019s probability of showing a due frame.' },
      {
        name: 'own_settings_json',
        type: 'string',
        description: 'The participant\u2019s own settings as JSON (added sites and own collections only as counts).',
      },
      { name: 'effective_settings_json', type: 'string', description: 'The settings the scheduler used: the arm\u2019s dose on top (same JSON shape).' },
    ],
  },
  versions: {
    row: 'The Stillframe version in use, recorded at enrolment and at every update.',
    columns: [
      ...who,
      { name: 'recorded_at', type: 'datetime', description: 'When (UTC).' },
      offset,
      { name: 'extension_version', type: 'string', description: 'Stillframe version (manifest version).' },
      { name: 'event', type: 'string', description: 'enrolled or updated.' },
    ],
  },
};

export const EXPORT_TABLES = Object.keys(DATA_DICTIONARY) as ExportTable[];

/** The columns every table starts with (filled from the enrolment at export). */
export const WHO_COLUMNS = who.map((c) => c.name);
