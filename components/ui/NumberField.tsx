import { useEffect, useState } from 'preact/hooks';
import { clampInt } from './settings-helpers';

interface NumberFieldProps {
  value: number | null;
  /** Called with the committed value (on change, Enter, blur or a step button); null when emptied and `allowEmpty`. */
  onCommit(next: number | null): void;
  min: number;
  max: number;
  step?: number;
  /** Show − / + buttons. */
  stepper?: boolean;
  allowEmpty?: boolean;
  placeholder?: string;
  label: string;
  testid?: string;
  id?: string;
  disabled?: boolean;
  decimals?: boolean;
  /** Also commit on every keystroke (for forms that only save on a button). */
  live?: boolean;
  invalid?: boolean;
  describedBy?: string;
}

/** A number input that commits a clamped value, with an optional − / + stepper. */
export function NumberField(props: NumberFieldProps) {
  const { value, min, max, step = 1, stepper, allowEmpty, label, testid, id, disabled, decimals, live, invalid, describedBy } = props;
  const [text, setText] = useState(value === null ? '' : String(value));
  // Follow the value from outside, but keep what is being typed when it already means that value ("0." while typing 0.5).
  useEffect(() => setText((prev) => (value !== null && prev.trim() !== '' && Number(prev) === value ? prev : value === null ? '' : String(value))), [value]);

  const parse = (raw: string): number | null => {
    if (decimals) {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n)) return null;
      return Math.min(max, Math.max(min, Math.round(n * 100) / 100));
    }
    return clampInt(raw, min, max);
  };

  const commit = (raw: string) => {
    if (raw.trim() === '' && allowEmpty) {
      props.onCommit(null);
      return;
    }
    const n = parse(raw);
    if (n === null) {
      setText(value === null ? '' : String(value));
      return;
    }
    setText(String(n));
    if (n !== value) props.onCommit(n);
  };

  const bump = (dir: 1 | -1) => {
    const base = value ?? min;
    const next = Math.min(max, Math.max(min, decimals ? Math.round((base + dir * step) * 100) / 100 : base + dir * step));
    setText(String(next));
    if (next !== value) props.onCommit(next);
  };

  const input = (
    <input
      type="number"
      inputMode={decimals ? 'decimal' : 'numeric'}
      class="sf-number"
      id={id}
      min={min}
      max={max}
      step={step}
      value={text}
      placeholder={props.placeholder}
      aria-label={label}
      aria-invalid={invalid ? 'true' : undefined}
      aria-describedby={describedBy}
      disabled={disabled}
      data-testid={testid}
      onInput={(e) => {
        const raw = (e.currentTarget as HTMLInputElement).value;
        setText(raw);
        if (live) {
          if (raw.trim() === '' && allowEmpty) props.onCommit(null);
          else {
            const n = Number(raw);
            if (raw.trim() !== '' && Number.isFinite(n)) props.onCommit(n);
          }
        }
      }}
      onChange={(e) => commit((e.currentTarget as HTMLInputElement).value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit((e.currentTarget as HTMLInputElement).value);
      }}
    />
  );
  if (!stepper) return input;
  return (
    <span class="sf-stepper">
      <button type="button" class="sf-step" aria-label={`${label} −`} disabled={disabled || (value ?? min) <= min} onClick={() => bump(-1)} data-testid={testid ? `${testid}-dec` : undefined}>
        −
      </button>
      {input}
      <button type="button" class="sf-step" aria-label={`${label} +`} disabled={disabled || (value ?? min) >= max} onClick={() => bump(1)} data-testid={testid ? `${testid}-inc` : undefined}>
        +
      </button>
    </span>
  );
}
