interface SwitchProps {
  checked: boolean;
  onChange(next: boolean): void;
  label: string;
  /** Shown next to the switch; the label is also its accessible name. */
  visibleLabel?: boolean;
  disabled?: boolean;
  testid?: string;
  id?: string;
}

/** An on/off switch: a real button with role="switch", so keyboards and screen readers know it. */
export function Switch({ checked, onChange, label, visibleLabel = false, disabled, testid, id }: SwitchProps) {
  return (
    <label class="sf-switch-row">
      {visibleLabel && <span class="sf-switch-label">{label}</span>}
      <button
        type="button"
        role="switch"
        id={id}
        class="sf-switch"
        aria-checked={checked}
        aria-label={visibleLabel ? undefined : label}
        disabled={disabled}
        data-testid={testid}
        data-checked={checked ? 'true' : 'false'}
        onClick={() => onChange(!checked)}
      >
        <span class="sf-switch-thumb" aria-hidden="true" />
      </button>
    </label>
  );
}
