import { useState } from 'preact/hooks';
import { send } from '@/utils/messaging';
import { downloadFile } from '@/utils/pages/download';
import type { ShapeReport } from '@/utils/feeds/shape-report';
import { useT } from '@/components/ui/i18n';

type View = { kind: 'closed' } | { kind: 'building' } | { kind: 'shown'; report: ShapeReport; text: string } | { kind: 'problem'; message: string };

export interface SiteReportState {
  view: View;
  copied: 'no' | 'yes' | 'failed';
  open(): Promise<void>;
  close(): void;
  copy(text: string): Promise<void>;
}

/**
 * "Report a site problem": asks the tab for the shape of its feed (utils/feeds/shape-report.ts:
 * structure only, no text, links or names), shows every character of it, and lets the person
 * copy it or save it as a file. Nothing is sent anywhere: sharing it is theirs to do. The link
 * sits in the popup's footer row; the report opens just above it.
 */
export function useSiteReport(tabId: number | undefined): SiteReportState {
  const t = useT();
  const [view, setView] = useState<View>({ kind: 'closed' });
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  return {
    view,
    copied,
    async open() {
      setView({ kind: 'building' });
      setCopied('no');
      try {
        const res = await send({ type: 'site/report', tabId });
        if (res.ok) setView({ kind: 'shown', report: res.report, text: JSON.stringify(res.report, null, 1) });
        else setView({ kind: 'problem', message: t(res.reason === 'not-here' ? 'popup.report.notHere' : 'popup.report.invalid') });
      } catch (err) {
        setView({ kind: 'problem', message: t('popup.report.failed', { message: err instanceof Error ? err.message : String(err) }) });
      }
    },
    close: () => setView({ kind: 'closed' }),
    async copy(text) {
      try {
        await navigator.clipboard.writeText(text);
        setCopied('yes');
      } catch {
        setCopied('failed');
      }
    },
  };
}

/** The footer link. */
export function SiteReportLink({ report }: { report: SiteReportState }) {
  const t = useT();
  if (report.view.kind !== 'closed') return null;
  return (
    <button type="button" class="sf-link" data-testid="report-open" onClick={() => void report.open()}>
      {t('popup.report.open')}
    </button>
  );
}

function save(report: ShapeReport, text: string): void {
  downloadFile(`stillframe-site-report-${report.site}.json`, text, 'application/json');
}

/** The report, in full, with Copy and Save; nothing while closed. */
export function SiteReportPanel({ report }: { report: SiteReportState }) {
  const t = useT();
  const { view, copied } = report;
  if (view.kind === 'closed') return null;
  return (
    <section class="pp-card" aria-labelledby="pp-report-title" data-testid="report">
      <h3 id="pp-report-title" class="pp-label">
        {t('popup.report.title')}
      </h3>
      {view.kind === 'building' && <p class="sf-muted sf-small">{t('popup.report.building')}</p>}
      {view.kind === 'problem' && (
        <p class="sf-small" role="alert" data-testid="report-problem">
          {view.message}
        </p>
      )}
      {view.kind === 'shown' && (
        <>
          <p class="sf-small">{t('popup.report.intro')}</p>
          <p class="sf-small">{t('popup.report.private')}</p>
          <p class="sf-muted sf-small" data-testid="report-summary">
            {t('popup.report.summary', { nodes: view.report.counts.described, items: view.report.counts.counted })}
          </p>
          <textarea
            readOnly
            rows={12}
            wrap="off"
            aria-label={t('popup.report.label')}
            data-testid="report-text"
            value={view.text}
            style={{
              width: '100%',
              boxSizing: 'border-box',
              resize: 'vertical',
              margin: 0,
              padding: '6px',
              fontSize: '11px',
              fontFamily: 'ui-monospace, monospace',
              border: '1px solid var(--sf-border)',
              borderRadius: '6px',
              background: 'transparent',
              color: 'inherit',
            }}
          />
          <p class="sf-muted sf-small">{t('popup.report.howTo')}</p>
          <div class="pp-buttons">
            <button type="button" class="sf-btn" data-testid="report-copy" onClick={() => void report.copy(view.text)}>
              {copied === 'yes' ? t('popup.report.copied') : t('popup.report.copy')}
            </button>
            <button type="button" class="sf-btn" data-testid="report-save" onClick={() => save(view.report, view.text)}>
              {t('popup.report.save')}
            </button>
          </div>
          {copied === 'failed' && (
            <p class="sf-small" role="alert">
              {t('popup.report.copyFailed')}
            </p>
          )}
        </>
      )}
      <div class="pp-row" style={{ justifyContent: 'flex-end' }}>
        <button type="button" class="sf-link sf-small" data-testid="report-close" onClick={report.close}>
          {t('popup.report.close')}
        </button>
      </div>
    </section>
  );
}
