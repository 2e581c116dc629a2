import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

interface ConfirmButtonProps {
  label: string;
  /** The question shown after the first click. */
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm(): void | Promise<void>;
  danger?: boolean;
  testid?: string;
  children?: ComponentChildren;
}

/** A destructive action in two steps: the first click asks, the second (a different button) acts. */
export function ConfirmButton({ label, question, confirmLabel, cancelLabel, onConfirm, danger, testid }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" class={danger ? 'sf-btn sf-btn-danger' : 'sf-btn'} data-testid={testid} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span class="sf-confirm" role="group" aria-label={question}>
      <span class="sf-confirm-q">{question}</span>
      <button
        type="button"
        class={danger ? 'sf-btn sf-btn-danger' : 'sf-btn sf-btn-primary'}
        data-testid={testid ? `${testid}-confirm` : undefined}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" class="sf-btn" data-testid={testid ? `${testid}-cancel` : undefined} onClick={() => setAsking(false)}>
        {cancelLabel}
      </button>
    </span>
  );
}
