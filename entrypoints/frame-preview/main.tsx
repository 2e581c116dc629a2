import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { PauseFrame } from '@/components/frame/PauseFrame';
import { pauseFrameCss } from '@/components/frame/pause-frame-styles';
import { StopPanel } from '@/components/frame/StopPanel';
import { BreakCover } from '@/components/frame/BreakCover';
import { getCuratedPayload } from '@/utils/frames/library';
import { compositionId } from '@/utils/frames/curated/compositions';
import { WORDS } from '@/utils/frames/curated/words';
import { BREATH_CUES } from '@/utils/frames/curated/breath';
import { QUESTIONS } from '@/utils/frames/curated/questions';
import { bytesToBase64 } from '@/utils/frames/collection-export';
import type { FramePayload } from '@/utils/frames/types';
import { setLocale, t, type Locale } from '@/utils/i18n';
import './preview.css';

/**
 * Every kind of frame, rendered by the real PauseFrame with the real styles, on a light and a
 * dark page. Each sample sits in an OPEN shadow root (the feed uses a closed one), so designers
 * can inspect it and accessibility checkers (tests/e2e/frames.spec.ts runs axe-core here) can
 * read it. Query: ?lang=en|zh_CN, ?motion=reduce.
 */

const query = new URLSearchParams(location.search);
const lang = query.get('lang');
const locale: Locale = setLocale(lang === 'en' || lang === 'zh_CN' ? lang : 'auto');
document.documentElement.lang = locale === 'zh_CN' ? 'zh-CN' : 'en';
document.title = `${t('library.preview.title')} · Stillframe`;
const reducedMotion = query.get('motion') === 'reduce' || matchMedia('(prefers-reduced-motion: reduce)').matches;

/** A small, clearly non-blank picture for the image samples, made here (nothing is fetched). */
async function sampleImage(): Promise<{ mime: string; width: number; height: number; dataB64: string }> {
  const width = 640;
  const height = 400;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  const sky = ctx.createLinearGradient(0, 0, 0, height);
  sky.addColorStop(0, '#f3c98b');
  sky.addColorStop(0.55, '#e98f6f');
  sky.addColorStop(0.56, '#3f6f8f');
  sky.addColorStop(1, '#1f3a4f');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#fbe6b8';
  ctx.beginPath();
  ctx.arc(width * 0.62, height * 0.5, 46, Math.PI, 0);
  ctx.fill();
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return { mime: 'image/png', width, height, dataB64: bytesToBase64(new Uint8Array(await blob.arrayBuffer())) };
}

interface Sample {
  key: string;
  label: string;
  frame: FramePayload;
  postsSince: number;
}

function samples(image: Awaited<ReturnType<typeof sampleImage>> | null): Sample[] {
  const curated = (id: string) => getCuratedPayload(id, locale)!;
  const en = WORDS.find((w) => w.lang === 'en')!;
  const zh = WORDS.find((w) => w.lang === 'zh')!;
  const out: Sample[] = [
    { key: 'composition', label: t('library.preview.kind.composition'), frame: curated(compositionId(7)), postsSince: 25 },
    { key: 'words', label: t('library.preview.kind.words'), frame: curated(en.id), postsSince: 24 },
    { key: 'words-zh', label: t('library.preview.kind.wordsZh'), frame: curated(zh.id), postsSince: 1 },
    { key: 'breath', label: t('library.preview.kind.breath'), frame: curated(BREATH_CUES[0].id), postsSince: 30 },
    { key: 'question', label: t('library.preview.kind.question'), frame: curated(QUESTIONS[0].id), postsSince: 0 },
  ];
  if (image) {
    const base = { kind: 'image' as const, collectionId: 'user-collection:preview', attribution: '', ...image };
    out.push(
      {
        key: 'image',
        label: t('library.preview.kind.image'),
        frame: { ...base, id: 'user:preview-1', caption: t('library.preview.sampleCaption') },
        postsSince: 25,
      },
      { key: 'image-bare', label: t('library.preview.kind.imageBare'), frame: { ...base, id: 'user:preview-2', caption: '' }, postsSince: 25 },
    );
  }
  out.push({
    key: 'text',
    label: t('library.preview.kind.text'),
    frame: {
      kind: 'text',
      id: 'user:preview-text',
      collectionId: 'user-collection:preview',
      attribution: '',
      text: t('library.preview.sampleText'),
      source: t('library.preview.sampleSource'),
    },
    postsSince: 25,
  });
  out.push({
    key: 'broken',
    label: t('library.preview.kind.broken'),
    frame: {
      kind: 'image',
      id: 'user:preview-3',
      collectionId: 'user-collection:preview',
      attribution: '',
      caption: t('library.preview.sampleCaption'),
      mime: 'image/png',
      width: 640,
      height: 400,
      dataB64: 'AAAAAAAA',
    },
    postsSince: 25,
  });
  // Not frames, but drawn by the same UI: the stopping point and the panel over a feed on a break.
  const none = curated(compositionId(0));
  out.push({ key: 'stop', label: t('library.preview.kind.stop'), frame: none, postsSince: 300 });
  out.push({ key: 'cover', label: t('library.preview.kind.cover'), frame: none, postsSince: 0 });
  return out;
}

/** One PauseFrame in an open shadow root with the frame's own constructed stylesheet. */
function ShadowFrame({ sample, scheme }: { sample: Sample; scheme: 'light' | 'dark' }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const mountRef = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const host = hostRef.current!;
    const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(pauseFrameCss);
    shadow.adoptedStyleSheets = [sheet];
    if (!mountRef.current) {
      mountRef.current = document.createElement('div');
      shadow.append(mountRef.current);
    }
    const mount = mountRef.current;
    render(
      sample.key === 'stop' ? (
        <StopPanel posts={sample.postsSince} scheme={scheme} onCloseTab={() => {}} onPutAway={() => {}} onDismiss={() => {}} />
      ) : sample.key === 'cover' ? (
        <BreakCover until={Date.now() + 15 * 60_000} scheme={scheme} focus={false} onChange={() => {}} onBack={() => {}} onCloseTab={() => {}} />
      ) : (
        <PauseFrame
          frame={sample.frame}
          postsSince={sample.postsSince}
          firstToday={sample.key === 'question'}
          breakMinutes={15}
          scheme={scheme}
          reducedMotion={reducedMotion}
          onAction={() => {}}
          onWhy={() => {}}
          onFewerPauses={async () => ({ changed: true, scope: 'global', unit: 'posts', from: 25, to: 40 })}
        />
      ),
      mount,
    );
  }, [sample, scheme]);
  useEffect(() => () => mountRef.current && render(null, mountRef.current), []);
  return (
    <div
      ref={hostRef}
      class={sample.key === 'cover' ? 'pv-host pv-cover' : 'pv-host'}
      data-testid={`preview-${scheme}-${sample.key}`}
      data-frame-kind={sample.key === 'stop' || sample.key === 'cover' ? sample.key : sample.frame.kind}
    />
  );
}

function Preview() {
  const [image, setImage] = useState<Awaited<ReturnType<typeof sampleImage>> | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    sampleImage()
      .then(setImage, () => setImage(null))
      .finally(() => setReady(true));
  }, []);
  const list = useMemo(() => samples(image), [image]);
  return (
    <>
      <header class="pv-head">
        <h1>{t('library.preview.title')}</h1>
        <p>{t('library.preview.intro')}</p>
      </header>
      <main class="pv-schemes" data-testid="frame-preview" data-ready={ready ? 'true' : 'false'}>
        {(['light', 'dark'] as const).map((scheme) => (
          <section class={`pv-scheme pv-${scheme}`} aria-labelledby={`pv-${scheme}-title`} data-testid={`preview-${scheme}`}>
            <h2 id={`pv-${scheme}-title`}>{scheme === 'light' ? t('library.preview.light') : t('library.preview.dark')}</h2>
            {list.map((s) => (
              <div class="pv-sample" key={s.key}>
                <h3>{s.label}</h3>
                <ShadowFrame sample={s} scheme={scheme} />
              </div>
            ))}
          </section>
        ))}
      </main>
    </>
  );
}

render(<Preview />, document.getElementById('app')!);
