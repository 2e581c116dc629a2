import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { cadencePreviewText } from '@/utils/schedule/core';
import type { Settings } from '@/utils/storage/settings';
import { useSettings } from '@/components/ui/settings-context';
import { useT } from '@/components/ui/i18n';
import { Switch } from '@/components/ui/Switch';
import { NumberField } from '@/components/ui/NumberField';
import { SaveStatus, useSaveStatus } from '@/components/ui/save-status';
import {
  CADENCE_FIELDS,
  WEEK_ORDER,
  draftEquals,
  draftErrors,
  draftFrom,
  draftPatch,
  newWindow,
  toggleDay,
  type CadenceDraft,
  type DraftFieldError,
} from './cadence-form';

const MODES = ['always', 'except', 'only'] as const;
const MODE_TEXT = {
  always: 'options.schedule.mode.always',
  except: 'options.schedule.mode.except',
  only: 'options.schedule.mode.only',
} as const;
const DAY_TEXT = ['schedule.day.0', 'schedule.day.1', 'schedule.day.2', 'schedule.day.3', 'schedule.day.4', 'schedule.day.5', 'schedule.day.6'] as const;

/**
 * Every cadence knob and the schedule, edited as a draft (the preview follows each keystroke)
 * and saved with one button; the background validates again and names any field it refuses.
 */
export function CadenceSection() {
  const t = useT();
  const store = useSettings();
  const settings = store.settings!;
  const save = useSaveStatus();
  const hold = useSaveStatus();
  const [draft, setDraft] = useState<CadenceDraft>(() => draftFrom(settings));
  const baseline = useRef<CadenceDraft>(draftFrom(settings));

  const draftRef = useRef(draft);
  draftRef.current = draft;
  const seenSettings = useRef(settings);

  // Changes made elsewhere (the popup, another tab) flow in while nothing is being edited here.
  // Effects may run late (after the first keystroke), so compare against the draft as it is now.
  useEffect(() => {
    if (seenSettings.current === settings) return;
    seenSettings.current = settings;
    const fresh = draftFrom(settings);
    if (draftEquals(draftRef.current, baseline.current)) setDraft(fresh);
    baseline.current = fresh;
  }, [settings]);

  const errors = useMemo(() => draftErrors(draft), [draft]);
  const hasErrors = Object.keys(errors).length > 0;
  const dirty = !draftEquals(draft, baseline.current);
  const previewSettings: Settings = { ...settings, cadence: draft.cadence, schedule: draft.schedule };
  const err = (path: string) => errors[path];
  const errText = (e: DraftFieldError | undefined) => (e ? t(e.key, e.params) : null);

  const setCadence = (key: keyof CadenceDraft['cadence'], n: number) => setDraft((d) => ({ ...d, cadence: { ...d.cadence, [key]: n } }));
  const setWindows = (fn: (w: CadenceDraft['schedule']['windows']) => CadenceDraft['schedule']['windows']) =>
    setDraft((d) => ({ ...d, schedule: { ...d.schedule, windows: fn(d.schedule.windows) } }));

  const onSave = async (e: Event) => {
    e.preventDefault();
    if (hasErrors) return;
    const ok = await save.run(() => store.patch(draftPatch(draft)));
    if (ok) baseline.current = draft;
  };

  return (
    <section class="op-section" aria-labelledby="op-cadence-title">
      <h2 id="op-cadence-title">{t('options.nav.cadence')}</h2>
      <p class="op-preview" data-testid="cadence-preview" aria-live="polite">
        {cadencePreviewText(previewSettings, t)}
      </p>

      <form onSubmit={onSave} noValidate>
        <div class="op-card">
          <h3>{t('options.cadence.title')}</h3>
          <div class="op-fields">
            {CADENCE_FIELDS.map((f) => {
              const e = err(`cadence.${f.key}`);
              const id = `cad-${f.key}`;
              return (
                <div class="op-field" data-field={f.key}>
                  <label for={id} class="op-field-label">
                    {t(f.label)}
                  </label>
                  <span class="op-field-input">
                    <NumberField
                      id={id}
                      value={draft.cadence[f.key]}
                      min={f.limits.min}
                      max={f.limits.max}
                      step={f.step}
                      decimals={!f.limits.integer}
                      live
                      label={t(f.label)}
                      testid={f.testid}
                      invalid={!!e}
                      describedBy={`${id}-help`}
                      onCommit={(n) => n !== null && setCadence(f.key, n)}
                    />
                    <span class="sf-muted sf-small">{t(f.unit)}</span>
                  </span>
                  <span id={`${id}-help`} class={e ? 'sf-error sf-small' : 'sf-muted sf-small'} data-testid={e ? `error-${f.key}` : undefined}>
                    {errText(e) ?? t(f.help)}
                  </span>
                </div>
              );
            })}
          </div>
        </div>

        <div class="op-card">
          <h3 id="op-schedule-title">{t('options.schedule.title')}</h3>
          <div class="op-radios" role="radiogroup" aria-labelledby="op-schedule-title">
            {MODES.map((m) => (
              <label class="op-radio">
                <input
                  type="radio"
                  name="schedule-mode"
                  value={m}
                  checked={draft.schedule.mode === m}
                  data-testid={`schedule-mode-${m}`}
                  onChange={() => setDraft((d) => ({ ...d, schedule: { ...d.schedule, mode: m } }))}
                />
                {t(MODE_TEXT[m])}
              </label>
            ))}
          </div>
          {draft.schedule.mode !== 'always' && (
            <>
              <ul class="op-list op-windows" data-testid="schedule-windows">
                {draft.schedule.windows.map((w, i) => (
                  <li class="op-window" data-testid={`window-${i}`}>
                    <fieldset class="op-days">
                      <legend class="sr-only">{t('options.schedule.days')}</legend>
                      {WEEK_ORDER.map((d) => (
                        <label class="op-day">
                          <input
                            type="checkbox"
                            checked={w.days.includes(d)}
                            data-testid={`window-${i}-day-${d}`}
                            onChange={() => setWindows((ws) => ws.map((x, j) => (j === i ? toggleDay(x, d) : x)))}
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
                          onInput={(e) => {
                            const start = (e.currentTarget as HTMLInputElement).value;
                            setWindows((ws) => ws.map((x, j) => (j === i ? { ...x, start } : x)));
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
                          onInput={(e) => {
                            const end = (e.currentTarget as HTMLInputElement).value;
                            setWindows((ws) => ws.map((x, j) => (j === i ? { ...x, end } : x)));
                          }}
                        />
                      </label>
                      <button type="button" class="sf-btn sf-small" data-testid={`window-${i}-remove`} onClick={() => setWindows((ws) => ws.filter((_, j) => j !== i))}>
                        {t('options.schedule.remove')}
                      </button>
                    </span>
                    {[err(`schedule.windows.${i}.days`), err(`schedule.windows.${i}.start`), err(`schedule.windows.${i}.end`)]
                      .filter((x): x is DraftFieldError => !!x)
                      .map((x) => (
                        <span class="sf-error sf-small op-window-error">{errText(x)}</span>
                      ))}
                  </li>
                ))}
              </ul>
              {draft.schedule.windows.length === 0 && <p class="sf-muted sf-small">{t('options.schedule.noWindows')}</p>}
              <button
                type="button"
                class="sf-btn"
                data-testid="add-window"
                disabled={draft.schedule.windows.length >= 20}
                onClick={() => setWindows((ws) => [...ws, newWindow(draft.schedule.mode)])}
              >
                {t('options.schedule.add')}
              </button>
              <p class="sf-muted sf-small">{t('options.schedule.overnight')}</p>
            </>
          )}
        </div>

        <div class="op-actions">
          <button type="submit" class="sf-btn sf-btn-primary" data-testid="save-cadence" disabled={hasErrors || !dirty}>
            {t('common.save')}
          </button>
          <button type="button" class="sf-btn" data-testid="revert-cadence" disabled={!dirty} onClick={() => setDraft(baseline.current)}>
            {t('options.revert')}
          </button>
          <SaveStatus state={save.state} testid="cadence-saved" />
          {hasErrors && <span class="sf-error sf-small">{t('options.cadence.fixErrors')}</span>}
        </div>
      </form>

      <div class="op-card op-row">
        <Switch
          checked={settings.gentleHold}
          label={t('options.cadence.gentleHold')}
          visibleLabel
          testid="gentle-hold"
          onChange={(on) => void hold.run(() => store.patch({ gentleHold: on }))}
        />
        <SaveStatus state={hold.state} />
      </div>
      <p class="sf-muted sf-small">{t('options.cadence.gentleHold.help')}</p>
    </section>
  );
}
