import { useEffect, useRef, useState } from 'preact/hooks';
import type { FramePayload } from '@/utils/frames/types';
import { t } from '@/utils/i18n/frame-text';
import { Composition } from './Composition';
import { SampleQuestion, type SampleQuestionProps } from './SampleQuestion';
import { T } from './Text';
import { watchBreath } from './breath-watch';
import type { FewerPausesResult, FrameAction } from '@/utils/messaging/messages';
import { swallowed } from '@/utils/dev-log';

export interface PauseFrameProps {
  frame: FramePayload;
  postsSince: number;
  /** No pause was shown earlier today. */
  firstToday?: boolean;
  /** Minutes a break lasts (its button says so). */
  breakMinutes: number;
  onAction(action: FrameAction): void;
  onWhy(): void;
  onFewerPauses(): Promise<FewerPausesResult | null>;
  scheme: 'light' | 'dark';
  reducedMotion: boolean;
  /** Study mode only: the one-item experience-sampling question some frames carry. */
  sample?: SampleQuestionProps;
}

/** "Take a 15-minute break", "Take a 1-hour break": the button says how long. */
export function breakLabel(minutes: number): string {
  return minutes % 60 === 0 ? t('frame.break.hours', { n: minutes / 60 }) : t('frame.break.minutes', { n: minutes });
}

/** What "Fewer pauses" did, in one sentence. */
export function fewerPausesText(r: FewerPausesResult | null): string {
  if (!r) return t('frame.fewerPauses.failed');
  if (!r.changed) return t(r.reason === 'study' ? 'frame.fewerPauses.study' : 'frame.fewerPauses.atMost');
  if (r.unit === 'minutes') return t('frame.fewerPauses.minutes', { from: r.from, to: r.to });
  return t(r.scope === 'site' ? 'frame.fewerPauses.site' : 'frame.fewerPauses.posts', { from: r.from, to: r.to });
}

/**
 * The frame shown between posts. It only renders data: every text is drawn as generated
 * content from an attribute (Text.tsx: the page's window.find() cannot search it), images are
 * drawn as pixels. A button's label is generated content too, its name an aria-label. It never takes focus by itself, never plays sound, and leaves
 * the choice to the buttons, each of which does what it says: Continue (the frame goes), Take
 * a break (the feed is put away for the break's length), and in the quiet footer the way to
 * its settings, "fewer like this one" and "fewer pauses". Styles: pause-frame-styles.ts.
 */
export function PauseFrame(props: PauseFrameProps) {
  const { frame, postsSince, firstToday, breakMinutes, onAction, scheme, reducedMotion, sample } = props;
  const [onBreak, setOnBreak] = useState(false);
  const [fewer, setFewer] = useState(false);
  const [fewerPauses, setFewerPauses] = useState<{ busy: boolean; text: string | null }>({ busy: false, text: null });
  const note = useRef<HTMLParagraphElement>(null);

  // A break is reported once (the first is the decision); a second click starts the break again.
  const takeBreak = () => {
    if (!onBreak) setOnBreak(true);
    onAction('break');
  };
  const fewerLikeThis = () => {
    if (fewer) return;
    setFewer(true);
    onAction('fewer');
  };
  // The frame folds into one line that says what happened; focus stays with it, not lost to the page.
  useEffect(() => {
    if (fewer) note.current?.focus({ preventScroll: true });
  }, [fewer]);
  const lessOften = () => {
    if (fewerPauses.busy) return;
    setFewerPauses({ busy: true, text: fewerPauses.text });
    props.onFewerPauses().then(
      (r) => setFewerPauses({ busy: false, text: fewerPausesText(r) }),
      () => setFewerPauses({ busy: false, text: fewerPausesText(null) }),
    );
  };

  if (fewer) {
    return (
      <aside class={`sf-frame sf-folded sf-${scheme}`} role="complementary" aria-label={t('frame.label')} data-frame-id={frame.id}>
        <p class="sf-note" role="status" tabIndex={-1} ref={note}>
          <span class="sf-mark" aria-hidden="true" />
          <T text={t('frame.fewer.done')} />
        </p>
      </aside>
    );
  }

  return (
    <aside class={`sf-frame sf-${scheme}`} role="complementary" aria-label={t('frame.label')} data-frame-id={frame.id}>
      <div class="sf-body">
        <FrameBody frame={frame} scheme={scheme} reducedMotion={reducedMotion} />
        {frame.attribution && (
          <p class="sf-attribution">
            <T text={frame.attribution} />
          </p>
        )}
      </div>
      {firstToday ? (
        <p class="sf-meta">
          <T text={t('frame.firstToday')} />
        </p>
      ) : (
        postsSince > 0 && (
          <p class="sf-meta">
            <T text={postsSince === 1 ? t('frame.postsSince.one') : t('frame.postsSince', { n: postsSince })} />
          </p>
        )
      )}
      {sample && <SampleQuestion {...sample} />}
      <div class="sf-actions" role="group" aria-label={t('frame.actions')}>
        <button type="button" class="sf-button" aria-label={t('frame.continue')} onClick={() => onAction('continue')}>
          <T text={t('frame.continue')} />
        </button>
        <button type="button" class="sf-button sf-primary" aria-label={breakLabel(breakMinutes)} onClick={takeBreak}>
          <T text={breakLabel(breakMinutes)} />
        </button>
      </div>
      <div class="sf-status" role="status">
        {fewerPauses.text && (
          <p class="sf-said">
            <T text={fewerPauses.text} />
          </p>
        )}
      </div>
      <div class="sf-foot" role="group" aria-label={t('frame.more')}>
        <span class="sf-brand">
          <span class="sf-mark" aria-hidden="true" />
          <T text={t('frame.brand')} />
        </span>
        <button type="button" class="sf-link" aria-label={t('frame.why')} onClick={props.onWhy}>
          <T text={t('frame.why')} />
        </button>
        <button type="button" class="sf-link" aria-label={t('frame.fewer')} onClick={fewerLikeThis}>
          <T text={t('frame.fewer')} />
        </button>
        <button type="button" class="sf-link" aria-label={t('frame.fewerPauses')} aria-disabled={fewerPauses.busy ? 'true' : undefined} onClick={lessOften}>
          <T text={t('frame.fewerPauses')} />
        </button>
      </div>
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
          <BreathCircle animate={!reducedMotion} />
          <p class="sf-breath-text">
            <T text={frame.text} />
          </p>
        </div>
      );
    case 'question':
      return (
        <p class="sf-question">
          <T text={frame.text} />
        </p>
      );
    case 'image':
      return <ImageFrame frame={frame} />;
    case 'text':
      return (
        <figure class="sf-figure">
          <blockquote class="sf-words sf-own">
            {frame.text.split('\n').map((line, i) => (
              <T class="sf-line" key={i} text={line} />
            ))}
          </blockquote>
          {frame.source && (
            <figcaption class="sf-cite">
              <T text={`— ${frame.source}`} />
            </figcaption>
          )}
        </figure>
      );
  }
}

/** The breathing circle: it breathes only while it is on screen (breath-watch.ts). */
function BreathCircle({ animate }: { animate: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!animate || !el) return;
    return watchBreath(el);
  }, [animate]);
  return <div ref={ref} class={animate ? 'sf-breath-circle sf-animate' : 'sf-breath-circle'} aria-hidden="true" />;
}

function Words({ frame }: { frame: Extract<FramePayload, { kind: 'words' }> }) {
  const zh = frame.lang === 'zh';
  return (
    <figure class="sf-figure" lang={zh ? 'zh-CN' : 'en'}>
      <blockquote class="sf-words">
        {frame.text.split('\n').map((line, i) => (
          <T class="sf-line" key={i} text={line} />
        ))}
      </blockquote>
      <figcaption class="sf-cite">
        <T text={`— ${frame.author}`} />
        {frame.work &&
          (zh ? (
            <cite>
              <T text={`《${frame.work}》`} />
            </cite>
          ) : (
            <>
              <T text=", " />
              <cite>
                <T text={frame.work} />
              </cite>
            </>
          ))}
        {frame.translator && <T class="sf-translator" text={t('frame.translatedBy', { name: frame.translator })} />}
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
    })().catch((err) => {
      swallowed('draw picture', err);
      if (!cancelled) setFailed(true);
    });
    return () => {
      cancelled = true;
    };
  }, [frame.dataB64, frame.mime]);

  const label = frame.caption ? t('frame.image.label', { caption: frame.caption }) : t('frame.image.untitled');
  return (
    <figure class="sf-figure sf-image">
      <canvas ref={canvas} class={failed ? 'sf-canvas sf-hidden' : 'sf-canvas'} width={frame.width} height={frame.height} role="img" aria-label={label} />
      {failed && (
        <p class="sf-error">
          <T text={t('frame.image.error')} />
        </p>
      )}
      {frame.caption && (
        <figcaption class="sf-caption">
          <T text={frame.caption} />
        </figcaption>
      )}
    </figure>
  );
}
