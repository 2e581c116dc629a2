import { useEffect, useRef, useState } from 'preact/hooks';
import type { FramePayload } from '@/utils/frames/types';
import { t } from '@/utils/i18n/frame-text';
import { Composition } from './Composition';
import { SampleQuestion, type SampleQuestionProps } from './SampleQuestion';

export type PauseAction = 'continue' | 'break' | 'fewer';

export interface PauseFrameProps {
  frame: FramePayload;
  postsSince: number;
  onAction(action: PauseAction): void;
  onSnooze15(): void;
  scheme: 'light' | 'dark';
  reducedMotion: boolean;
  /** Study mode only: the one-item experience-sampling question some frames carry. */
  sample?: SampleQuestionProps;
}

/**
 * The frame shown between posts. It only renders data: every text goes in as a text node,
 * images are drawn as pixels. It never takes focus, never plays sound, and leaves the user's
 * choice to the buttons. Styles: pause-frame-styles.ts, adopted by the shadow root host.
 */
export function PauseFrame({ frame, postsSince, onAction, onSnooze15, scheme, reducedMotion, sample }: PauseFrameProps) {
  const [onBreak, setOnBreak] = useState(false);
  const [fewer, setFewer] = useState(false);
  const [snoozed, setSnoozed] = useState(false);

  // "Take a break" and "Fewer like this" are reported once: a second click is not a second decision.
  const takeBreak = () => {
    if (onBreak) return;
    setOnBreak(true);
    onAction('break');
  };
  const fewerLikeThis = () => {
    if (fewer) return;
    setFewer(true);
    onAction('fewer');
  };
  // The snooze button stays in place (aria-disabled, not removed) so keyboard focus is not lost.
  const snooze = () => {
    if (snoozed) return;
    setSnoozed(true);
    onSnooze15();
  };

  return (
    <aside class={`sf-frame sf-${scheme}`} role="complementary" aria-label={t('frame.label')}>
      <div class="sf-body">
        <FrameBody frame={frame} scheme={scheme} reducedMotion={reducedMotion} />
        {frame.attribution && <p class="sf-attribution">{frame.attribution}</p>}
      </div>
      {postsSince > 0 && (
        <p class="sf-meta">{postsSince === 1 ? t('frame.postsSince.one') : t('frame.postsSince', { n: postsSince })}</p>
      )}
      {sample && <SampleQuestion {...sample} />}
      <div class="sf-actions" role="group" aria-label={t('frame.actions')}>
        <button type="button" class="sf-button" onClick={() => onAction('continue')}>{t('frame.continue')}</button>
        <button type="button" class="sf-button sf-primary" onClick={takeBreak}>{t('frame.break')}</button>
        <button type="button" class="sf-button" onClick={fewerLikeThis}>{t('frame.fewer')}</button>
      </div>
      <div class="sf-status" role="status">
        {onBreak && <p class="sf-reflection">{t('frame.reflection')}</p>}
        {fewer && <p class="sf-fewer">{t('frame.fewer.done')}</p>}
      </div>
      {onBreak && (
        <button type="button" class="sf-button sf-snooze" aria-disabled={snoozed ? 'true' : undefined} onClick={snooze}>
          {snoozed ? t('frame.snoozed') : t('frame.snooze15')}
        </button>
      )}
    </aside>
  );
}

function FrameBody({ frame, scheme, reducedMotion }: { frame: FramePayload; scheme: 'light' | 'dark'; reducedMotion: boolean }) {
  switch (frame.kind) {
    case 'composition':
      // The page's scheme wins over the payload's default variant, so a piece never glares on a dark page.
      return <Composition seed={frame.seed} variant={scheme} label={t('frame.composition.label')} />;
    case 'words':
      return <Words frame={frame} />;
    case 'breath':
      return (
        <div class="sf-breath">
          <div class={reducedMotion ? 'sf-breath-circle' : 'sf-breath-circle sf-animate'} aria-hidden="true" />
          <p class="sf-breath-text">{frame.text}</p>
        </div>
      );
    case 'question':
      return <p class="sf-question">{frame.text}</p>;
    case 'image':
      return <ImageFrame frame={frame} />;
  }
}

function Words({ frame }: { frame: Extract<FramePayload, { kind: 'words' }> }) {
  const zh = frame.lang === 'zh';
  return (
    <figure class="sf-figure" lang={zh ? 'zh-CN' : 'en'}>
      <blockquote class="sf-words">
        {frame.text.split('\n').map((line, i) => <span class="sf-line" key={i}>{line}</span>)}
      </blockquote>
      <figcaption class="sf-cite">
        — {frame.author}
        {frame.work && (zh ? <cite>《{frame.work}》</cite> : <>, <cite>{frame.work}</cite></>)}
      </figcaption>
    </figure>
  );
}

/** base64 → bytes without fetch() of a data: URL, which a strict page CSP (connect-src) may block. */
function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * User images are drawn into a <canvas>: an <img> would need a blob: or data: URL, which the
 * page's img-src CSP can refuse; drawing pixels is not subject to it. The canvas gets the
 * image's size up front so the layout does not shift when decoding finishes.
 */
function ImageFrame({ frame }: { frame: Extract<FramePayload, { kind: 'image' }> }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setFailed(false);
    (async () => {
      const el = canvas.current;
      const ctx = el?.getContext('2d');
      if (!el || !ctx || typeof createImageBitmap !== 'function') throw new Error('no canvas');
      const bitmap = await createImageBitmap(new Blob([decodeBase64(frame.dataB64)], { type: frame.mime }));
      try {
        if (cancelled) return;
        el.width = bitmap.width;
        el.height = bitmap.height;
        ctx.drawImage(bitmap, 0, 0);
      } finally {
        bitmap.close();
      }
    })().catch(() => {
      if (!cancelled) setFailed(true);
    });
    return () => {
      cancelled = true;
    };
  }, [frame.dataB64, frame.mime]);

  const label = frame.caption ? t('frame.image.label', { caption: frame.caption }) : t('frame.image.untitled');
  return (
    <figure class="sf-figure sf-image">
      <canvas
        ref={canvas}
        class={failed ? 'sf-canvas sf-hidden' : 'sf-canvas'}
        width={frame.width}
        height={frame.height}
        role="img"
        aria-label={label}
      />
      {failed && <p class="sf-error">{t('frame.image.error')}</p>}
      {frame.caption && <figcaption class="sf-caption">{frame.caption}</figcaption>}
    </figure>
  );
}
