import { useState } from 'preact/hooks';
import { t } from '@/utils/i18n/frame-text';
import type { SurveyHostOptions } from '@/utils/content/frame-ui-contract';
import { SampleQuestion } from './SampleQuestion';
import { T } from './Text';

/**
 * The study's question as a calm card of its own in the feed — shown in every arm, also where
 * no frames are (the question's own schedule, docs/STUDY.md). One tap answers; "Not now" lets
 * it go; ignoring it is fine too. Nothing but the chosen number is recorded.
 */
export function SurveyCard({ prompt, onAnswer, onDismiss, scheme }: Omit<SurveyHostOptions, 'width'> & { scheme: 'light' | 'dark' }) {
  const [closed, setClosed] = useState(false);
  return (
    <aside class={`sf-frame sf-${scheme}`} aria-label={t('study.survey.label')} data-sf-survey="card">
      {/* Generated content (Text.tsx): the page's window.find() cannot read the study's question. */}
      <p class="sf-meta" style={{ margin: '0 0 12px' }}>
        <T text={t('study.survey.intro')} />
      </p>
      <SampleQuestion prompt={prompt} onAnswer={onAnswer} />
      {!closed && (
        <div class="sf-actions" role="group">
          <button
            type="button"
            class="sf-button"
            data-sf-survey-dismiss=""
            aria-label={t('study.survey.notNow')}
            onClick={() => {
              setClosed(true);
              onDismiss();
            }}
          >
            <T text={t('study.survey.notNow')} />
          </button>
        </div>
      )}
    </aside>
  );
}
