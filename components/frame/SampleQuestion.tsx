import { useState } from 'preact/hooks';
import { t } from '@/utils/i18n/frame-text';
import type { FrameSample } from '@/utils/content/frame-ui-contract';
import { T } from './Text';

export type SampleQuestionProps = FrameSample;

const row = { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '6px', margin: '8px 0 0' } as const;
const label = { color: 'var(--sf-muted)', fontSize: '0.85em' } as const;

/**
 * The study's one-item experience-sampling question, shown inside some frames (PauseFrame's
 * optional `sample` prop). One tap answers; the answer is a number on the protocol's scale and
 * nothing else. It never takes focus and can simply be ignored. Layout uses style objects
 * (set through the CSSOM), so a page's strict style-src cannot block it.
 */
export function SampleQuestion({ prompt, onAnswer }: SampleQuestionProps) {
  const [answer, setAnswer] = useState<number | null>(null);
  const points: number[] = [];
  for (let v = prompt.min; v <= prompt.max; v++) points.push(v);
  if (answer !== null) {
    return (
      <p class="sf-meta" role="status" data-sf-sample="done">
        <T text={t('study.sample.thanks')} />
      </p>
    );
  }
  return (
    <fieldset style={{ border: 0, padding: 0, margin: '0 0 16px', minWidth: 0 }} data-sf-sample="open">
      <legend style={{ padding: 0, fontWeight: 600 }}>
        <T text={prompt.question} />
      </legend>
      <div style={row} role="group" aria-label={t('study.sample.scale', { min: prompt.min, max: prompt.max })}>
        {prompt.minLabel && (
          <span style={label}>
            <T text={prompt.minLabel} />
          </span>
        )}
        {points.map((v) => (
          <button
            key={v}
            type="button"
            class="sf-button"
            style={{ minWidth: '40px', padding: '6px 10px' }}
            data-sf-answer={v}
            aria-label={String(v)}
            onClick={() => {
              setAnswer(v);
              onAnswer(v);
            }}
          >
            <T text={String(v)} />
          </button>
        ))}
        {prompt.maxLabel && (
          <span style={label}>
            <T text={prompt.maxLabel} />
          </span>
        )}
      </div>
    </fieldset>
  );
}
