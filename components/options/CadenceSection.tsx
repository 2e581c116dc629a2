import { useEffect, useRef, useState } from 'preact/hooks';
import { cadencePreviewText } from '@/utils/pages/cadence-preview';
import { formatHhmm } from '@/utils/i18n/format';
import type { Settings, TimeWindow } from '@/utils/storage/settings';
import { SettingsSchema } from '@/utils/storage/settings';
import { useSettings } from '@/components/ui/settings-context';
import { useLocale, useT } from '@/components/ui/i18n';
import { Switch } from '@/components/ui/Switch';
import { NumberField } from '@/components/ui/NumberField';
import { SaveStatus, useSaveStatus } from '@/components/ui/save-status';
import { CADENCE_FIELDS, WEEK_ORDER, newWindow, schemaLimits, toggleDay, windowsErrors, type CadenceFieldDef, type FormFieldError } from './cadence-form';

const MODES = ['always', 'except', 'only'] as const;
const MODE_TEXT = {
  always: 'options.schedule.mode.always',
  except: 'options.schedule.mode.except',
  only: 'options.schedule.mode.only',
} as const;
const DAY_TEXT = ['schedule.day.0', 'schedule.day.1', 'schedule.day.2', 'schedule.day.3', 'schedule.day.4', 'schedule.day.5', 'schedule.day.6'] as const;
const BREAK = schemaLimits(SettingsSchema.entries.breakMinutes);
const STOP = schemaLimits(SettingsSchema.entries.stoppingPoint.entries.posts);

/**
 * How often pauses come, when, and the two ways out of a feed (a break's length, the daily
 * stopping point). Like every other control of the extension, each field is saved as soon as
 * it holds a value that can be saved, with "Saved" beside it; a value that cannot is named
 * there and not saved. The preview sentence always describes what is saved.
 */
export function CadenceSection() {
  const t = useT();
  const locale = useLocale();
  const store = useSettings();
  const settings = store.settings!;

  return (
    <section class="op-section" aria-labelledby="op-cadence-title">
      <h2 id="op-cadence-title">{t('options.nav.cadence')}</h2>
      <p class="op-preview" data-testid="cadence-preview" aria-live="polite">
        {cadencePreviewText(settings, t, undefined, (h) => formatHhmm(h, locale))}
      </p>
      <p class="sf-muted sf-small">{t('options.cadence.savedAtOnce')}</p>

      <div class="op-card">
        <h3>{t('options.cadence.title')}</h3>
        <div class="op-fields">
          {CADENCE_FIELDS.map((f) => (
            <CadenceField key={f.key} f={f} />
          ))}
        </div>
      </div>

      <ScheduleCard />
      <BreaksCard />

      <div class="op-card">
        <div class="op-row op-wrap">
          <GentleHold />
        </div>
        <p class="sf-muted sf-small">{t('options.cadence.gentleHold.help')}</p>
      </div>
    </section>
  );
}

/** One cadence number: saved on its own, its message or its help text beneath it. */
function CadenceField({ f }: { f: CadenceFieldDef }) {
  const t = useT();
  const store = useSettings();
  const settings = store.settings!;
  const save = useSaveStatus();
  const [problem, setProblem] = useState<string | null>(null);
  const id = `cad-${f.key}`;
  return (
    <div class="op-field" data-field={f.key}>
      <label for={id} class="op-field-label">
        {t(f.label)}
      </label>
      <span class="op-field-input">
        <NumberField
          id={id}
          value={settings.cadence[f.key]}
          min={f.limits.min}
          max={f.limits.max}
          step={f.step}
          decimals={!f.limits.integer}
          label={t(f.label)}
          testid={f.testid}
          describedBy={`${id}-help`}
          onProblem={setProblem}
          onCommit={(n) => n !== null && void save.run(() => store.patch({ cadence: { [f.key]: n } }))}
        />
        <span class="sf-muted sf-small">{t(f.unit)}</span>
        <SaveStatus state={save.state} testid={`saved-${f.key}`} />
      </span>
      <span
        id={`${id}-help`}
        class={problem ? 'sf-error sf-small' : 'sf-muted sf-small'}
        role={problem ? 'alert' : undefined}
        data-testid={problem ? `error-${f.key}` : undefined}
      >
        {problem ?? t(f.help)}
      </span>
    </div>
  );
}

/**
 * When pauses may come. The mode is saved at once; the hours are saved whenever every row is
 * complete (a row without a day is named and waits, and nothing half-typed reaches the scheduler).
 */
function ScheduleCard() {
  const t = useT();
  const store = useSettings();
  const settings = store.settings!;
  const save = useSaveStatus();
  const saved = settings.schedule.windows;
  const [rows, setRows] = useState<TimeWindow[]>(saved);
  // The rows as last edited, even before the page re-renders (two quick edits build on each other).
  const current = useRef(rows);
  const errors = windowsErrors(rows);

  // Changes from elsewhere (another tab, an import) come in unless a row here is still being fixed.
  useEffect(() => {
    if (Object.keys(windowsErrors(current.current)).length === 0) {
      current.current = saved;
      setRows(saved);
    }
  }, [saved]);

  const commit = (edit: (rows: TimeWindow[]) => TimeWindow[]) => {
    const next = edit(current.current);
    current.current = next;
    setRows(next);
    if (Object.keys(windowsErrors(next)).length === 0) void save.run(() => store.patch({ schedule: { mode: settings.schedule.mode, windows: next } }));
  };
  const setMode = (mode: Settings['schedule']['mode']) => void save.run(() => store.patch({ schedule: { mode, windows: saved } }));
  const err = (path: string): FormFieldError | undefined => errors[path];

  return (
    <div class="op-card">
      <div class="op-row">
        <h3 id="op-schedule-title" class="op-grow">
          {t('options.schedule.title')}
        </h3>
        <SaveStatus state={save.state} testid="schedule-saved" />
      </div>
      <div class="op-radios" role="radiogroup" aria-labelledby="op-schedule-title">
        {MODES.map((m) => (
          <label class="op-radio">
            <input
              type="radio"
              name="schedule-mode"
              value={m}
              checked={settings.schedule.mode === m}
              data-testid={`schedule-mode-${m}`}
              onChange={() => setMode(m)}
            />
            {t(MODE_TEXT[m])}
          </label>
        ))}
      </div>
      {settings.schedule.mode !== 'always' && (
        <>
          <ul class="op-list op-windows" data-testid="schedule-windows">
            {rows.map((w, i) => (
              <li class="op-window" data-testid={`window-${i}`}>
                <fieldset class="op-days">
                  <legend class="sr-only">{t('options.schedule.days')}</legend>
                  {WEEK_ORDER.map((d) => (
                    <label class="op-day">
                      <input
                        type="checkbox"
                        checked={w.days.includes(d)}
                        data-testid={`window-${i}-day-${d}`}
                        onChange={() => commit((rs) => rs.map((x, j) => (j === i ? toggleDay(x, d) : x)))}
                      />
                      {t(DAY_TEXT[d])}
                    </label>
                  ))}
                </fieldset>
                <span class="op-times">
                  <label>
                    <span class="sr-only">{t('options.schedule.from')}</span>
                    <input
                      type="time"
                      value={w.start}
                      aria-label={t('options.schedule.from')}
                      data-testid={`window-${i}-start`}
                      onChange={(e) => {
                        const start = (e.currentTarget as HTMLInputElement).value;
                        commit((rs) => rs.map((x, j) => (j === i ? { ...x, start } : x)));
                      }}
                    />
                  </label>
                  <span aria-hidden="true">–</span>
                  <label>
                    <span class="sr-only">{t('options.schedule.to')}</span>
                    <input
                      type="time"
                      value={w.end}
                      aria-label={t('options.schedule.to')}
                      data-testid={`window-${i}-end`}
                      onChange={(e) => {
                        const end = (e.currentTarget as HTMLInputElement).value;
                        commit((rs) => rs.map((x, j) => (j === i ? { ...x, end } : x)));
                      }}
                    />
                  </label>
                  <button type="button" class="sf-btn sf-small" data-testid={`window-${i}-remove`} onClick={() => commit((rs) => rs.filter((_, j) => j !== i))}>
                    {t('options.schedule.remove')}
                  </button>
                </span>
                {w.start === w.end && !err(`schedule.windows.${i}.end`) && <span class="sf-muted sf-small">{t('options.schedule.sameTimes')}</span>}
                {[err(`schedule.windows.${i}.days`), err(`schedule.windows.${i}.start`), err(`schedule.windows.${i}.end`)]
                  .filter((x): x is FormFieldError => !!x)
                  .map((x) => (
                    <span class="sf-error sf-small op-window-error" role="alert" data-testid={`window-${i}-error`}>
                      {t(x.key, x.params)}
                    </span>
                  ))}
              </li>
            ))}
          </ul>
          {rows.length === 0 && <p class="sf-muted sf-small">{t('options.schedule.noWindows')}</p>}
          <button
            type="button"
            class="sf-btn"
            data-testid="add-window"
            disabled={rows.length >= 20}
            onClick={() => commit((rs) => [...rs, newWindow(settings.schedule.mode)])}
          >
            {t('options.schedule.add')}
          </button>
          <p class="sf-muted sf-small">{t('options.schedule.overnight')}</p>
        </>
      )}
    </div>
  );
}

/** A break's length, and the daily stopping point (off until switched on). */
function BreaksCard() {
  const t = useT();
  const store = useSettings();
  const settings = store.settings!;
  const breakSave = useSaveStatus();
  const stopSave = useSaveStatus();
  const sp = settings.stoppingPoint;
  return (
    <div class="op-card" data-testid="breaks-card">
      <h3>{t('options.breaks.title')}</h3>
      <div class="op-row op-wrap">
        <label for="op-break-minutes">{t('options.breaks.length')}</label>
        <NumberField
          id="op-break-minutes"
          value={settings.breakMinutes}
          min={BREAK.min}
          max={BREAK.max}
          label={t('options.breaks.length')}
          testid="break-minutes"
          onCommit={(n) => n !== null && void breakSave.run(() => store.patch({ breakMinutes: n }))}
        />
        <span class="sf-muted sf-small">{t('options.unit.minutes')}</span>
        <SaveStatus state={breakSave.state} testid="break-saved" />
      </div>
      <p class="sf-muted sf-small">{t('options.breaks.help')}</p>

      <div class="op-row op-wrap">
        <Switch
          checked={sp.enabled}
          label={t('options.stop.switch')}
          visibleLabel
          testid="stop-enabled"
          onChange={(on) => void stopSave.run(() => store.patch({ stoppingPoint: { ...sp, enabled: on } }))}
        />
        <NumberField
          value={sp.posts}
          min={STOP.min}
          max={STOP.max}
          step={50}
          label={t('options.stop.posts')}
          testid="stop-posts"
          onCommit={(n) => n !== null && void stopSave.run(() => store.patch({ stoppingPoint: { ...sp, posts: n } }))}
        />
        <span class="sf-muted sf-small">{t('options.stop.unit')}</span>
        <SaveStatus state={stopSave.state} testid="stop-saved" />
      </div>
      <p class="sf-muted sf-small">{t('options.stop.help')}</p>
    </div>
  );
}

function GentleHold() {
  const t = useT();
  const store = useSettings();
  const save = useSaveStatus();
  return (
    <>
      <Switch
        checked={store.settings!.gentleHold}
        label={t('options.cadence.gentleHold')}
        visibleLabel
        testid="gentle-hold"
        onChange={(on) => void save.run(() => store.patch({ gentleHold: on }))}
      />
      <SaveStatus state={save.state} />
    </>
  );
}
