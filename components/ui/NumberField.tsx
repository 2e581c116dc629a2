import { useEffect, useRef, useState } from 'preact/hooks';
import { checkNumber } from './settings-helpers';
import { useT } from './i18n';

interface NumberFieldProps {
  /** The saved value (null: empty, when `allowEmpty`). */
  value: number | null;
  /** Called with a valid value only (on change, Enter, leaving the field or a step button). */
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
  /** Fractions allowed (otherwise whole numbers only). */
  decimals?: boolean;
  /** Extra description (help text) besides the field's own message. */
  describedBy?: string;
  /**
   * Where the field's message goes: by default right after the field; a layout that has its own
   * place for it (a form's help line) passes this and shows the text itself.
   */
  onProblem?(message: string | null): void;
}

/**
 * A number input that never changes what was typed without saying so: a value it cannot take
 * (out of range, a fraction, not a number) is named next to the field, stays as typed and is
 * not saved. The − / + buttons step within the range and stop at its ends (they are disabled
 * there). Saving is the parent's job, on `onCommit`.
 */
export function NumberField(props: NumberFieldProps) {
  const { value, min, max, step = 1, stepper, allowEmpty, label, testid, id, disabled, decimals, describedBy } = props;
  const t = useT();
  const [text, setText] = useState(value === null ? '' : String(value));
  const [problem, setProblem] = useState<string | null>(null);
  const focused = useRef(false);
  const errorId = useRef(`sf-num-${Math.random().toString(36).slice(2, 9)}`).current;

  // Follow a value changed elsewhere (another page, a preset) unless the person is typing or fixing
  // it here. Only a real change counts: effects run late, after the first keystroke may be in.
  const shown = useRef(value);
  useEffect(() => {
    if (shown.current === value) return;
    shown.current = value;
    if (focused.current || problem) return;
    setText(value === null ? '' : String(value));
  }, [value]);

  const say = (message: string | null) => {
    setProblem(message);
    props.onProblem?.(message);
  };

  const commit = (raw: string) => {
    const c = checkNumber(raw, { min, max, integer: !decimals, allowEmpty });
    if (!c.ok) {
      say(t(c.key, c.params));
      return;
    }
    say(null);
    if (c.value !== value) props.onCommit(c.value);
  };

  const bump = (dir: 1 | -1) => {
    const base = value ?? min;
    const next = Math.min(max, Math.max(min, decimals ? Math.round((base + dir * step) * 100) / 100 : base + dir * step));
    setText(String(next));
    say(null);
    if (next !== value) props.onCommit(next);
  };

  const described = [problem && !props.onProblem ? errorId : null, describedBy].filter(Boolean).join(' ') || undefined;
  const input = (
    <input
      type="text"
      inputMode={decimals ? 'decimal' : 'numeric'}
      class="sf-number"
      id={id}
      value={text}
      placeholder={props.placeholder}
      aria-label={label}
      aria-invalid={problem ? 'true' : undefined}
      aria-describedby={described}
      disabled={disabled}
      data-testid={testid}
      onFocus={() => (focused.current = true)}
      onBlur={(e) => {
        focused.current = false;
        commit((e.currentTarget as HTMLInputElement).value);
      }}
      onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit((e.currentTarget as HTMLInputElement).value);
      }}
    />
  );
  const field = !stepper ? (
    input
  ) : (
    <span class="sf-stepper">
      <button
        type="button"
        class="sf-step"
        aria-label={`${label} −`}
        disabled={disabled || (value ?? min) <= min}
        onClick={() => bump(-1)}
        data-testid={testid ? `${testid}-dec` : undefined}
      >
        −
      </button>
      {input}
      <button
        type="button"
        class="sf-step"
        aria-label={`${label} +`}
        disabled={disabled || (value ?? min) >= max}
        onClick={() => bump(1)}
        data-testid={testid ? `${testid}-inc` : undefined}
      >
        +
      </button>
    </span>
  );
  if (props.onProblem) return field;
  return (
    <span class="sf-numfield">
      {field}
      {problem && (
        <span id={errorId} class="sf-error sf-small sf-field-error" role="alert" data-testid={testid ? `${testid}-error` : undefined}>
          {problem}
        </span>
      )}
    </span>
  );
}
