import { useT } from './i18n';

/**
 * How often a collection is drawn, in words rather than a weight: each choice is a weight the
 * scheduler multiplies by (utils/schedule/frame-choice.ts chooseFrame). A weight set some other way
 * (an imported file) shows as itself, so it is never silently changed to the nearest word.
 */
export const HOW_OFTEN: ReadonlyArray<{ weight: number; key: string }> = [
  { weight: 0.25, key: 'options.often.rarely' },
  { weight: 0.5, key: 'options.often.less' },
  { weight: 1, key: 'options.often.usual' },
  { weight: 2, key: 'options.often.more' },
  { weight: 4, key: 'options.often.most' },
];

export function HowOftenSelect({ value, label, testid, onChange }: { value: number; label: string; testid?: string; onChange(weight: number): void }) {
  const t = useT();
  const known = HOW_OFTEN.some((c) => c.weight === value);
  return (
    <select aria-label={label} data-testid={testid} value={String(value)} onChange={(e) => onChange(Number((e.currentTarget as HTMLSelectElement).value))}>
      {!known && <option value={String(value)}>{t('options.often.own', { n: value })}</option>}
      {HOW_OFTEN.map((c) => (
        <option value={String(c.weight)}>{t(c.key)}</option>
      ))}
    </select>
  );
}
