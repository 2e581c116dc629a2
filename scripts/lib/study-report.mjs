// The short Markdown report of `npm run study:summary`: what was merged, the pause effect with
// its interval and a methods paragraph a paper can adapt, per-arm figures, attrition and
// compliance. Everything in it is also in the CSV/Parquet files beside it.
import { basename } from 'node:path';

const f = (x, d = 2) => (x === null || x === undefined || Number.isNaN(Number(x)) ? '–' : Number(x).toFixed(d));
const pct = (x) => (x === null || x === undefined ? '–' : `${Number(x) > 0 ? '+' : ''}${Number(x).toFixed(1)} %`);
const int = (x) => (x === null || x === undefined ? '–' : String(Number(x)));

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const VERDICT = {
  'too-little-data': 'The data cannot tell yet: too few participants or decision points for a trustworthy interval.',
  slower: 'Scrolling was slower after a shown frame than at comparable moments without one (the interval lies below zero).',
  faster: 'Scrolling was faster after a shown frame than at comparable moments without one (the interval lies above zero).',
  'no-clear-difference': 'No clear difference between shown and withheld decision points (the interval includes zero).',
};

export function reportMarkdown(r, meta = {}) {
  const used = r.files.filter((x) => x.status === 'used');
  const superseded = r.files.filter((x) => x.status === 'superseded');
  const refused = r.files.filter((x) => x.status === 'refused');
  const first = used[0] ?? {};
  const o = r.options;
  const lines = [];
  lines.push(`# Study summary: ${first.study_id ?? '?'} (protocol version ${first.protocol_version ?? '?'})`, '');
  lines.push(
    `${r.files.length} file${r.files.length === 1 ? '' : 's'} read: ${used.length} used (one per participant), ${superseded.length} superseded by a later export of the same participant, ${refused.length} refused.` +
      (meta.generatedAt ? ` Generated ${meta.generatedAt}.` : ''),
    '',
  );

  lines.push('## Participants', '');
  const byArm = new Map();
  for (const p of r.participants) byArm.set(p.arm, [...(byArm.get(p.arm) ?? []), p]);
  const pr = r.armProbabilities ?? [];
  lines.push(
    table(
      ['arm', 'p_show', 'participants', 'active', 'finished', 'withdrawn', 'decision points', 'shown', 'withheld'],
      [...byArm.entries()].map(([arm, ps]) => {
        const p = pr.find((x) => x.arm === arm);
        const sum = (k) => ps.reduce((s, x) => s + Number(x[k] ?? 0), 0);
        const st = (s) => ps.filter((x) => x.status === s).length;
        return [
          arm,
          p ? (p.p_min === p.p_max ? f(p.p_max) : `${f(p.p_min)}–${f(p.p_max)}`) : '–',
          ps.length,
          st('active'),
          st('finished'),
          st('withdrawn'),
          sum('decision_points'),
          sum('shown'),
          sum('withheld'),
        ];
      }),
    ),
    '',
    'One row per participant with every measure: `participant_summary.csv`.',
    '',
  );

  lines.push('## The pause effect', '');
  const primary = r.effects.find((e) => e.estimand === 'excursion_effect');
  if (!primary)
    lines.push('These exports have no decision points (made by a Stillframe version before decision points), so the pause effect cannot be estimated.', '');
  else {
    if (primary.estimate !== null) {
      lines.push(
        `**Showing a frame rather than withholding it changed scroll speed in the ${meta.windowS ? `${meta.windowS} s ` : ''}after-window by ${pct(primary.pct_change)} (95 % CI ${pct(primary.pct_ci_low)} to ${pct(primary.pct_ci_high)})**, ` +
          `estimated from ${primary.decision_points} decision points (${primary.shown} shown, ${primary.withheld} withheld) of ${primary.participants} participants. ` +
          `On the log scale: ${f(primary.estimate, 3)} [${f(primary.ci_low, 3)}, ${f(primary.ci_high, 3)}].`,
        '',
        VERDICT[primary.verdict] ?? '',
        '',
      );
    } else lines.push(`No estimate of the excursion effect: ${primary.note}.`, '');
    lines.push(
      table(
        ['estimand', 'arms', 'estimate (ln)', '95 % CI (bootstrap)', 'change in speed', 'sandwich 95 % CI', 'per shown', 'participants', 'points'],
        r.effects.map((e) => [
          e.estimand,
          e.treated_arm ? `${e.treated_arm} vs ${e.reference_arm}` : '',
          f(e.estimate, 3),
          e.ci_low === null ? '–' : `${f(e.ci_low, 3)} to ${f(e.ci_high, 3)}`,
          pct(e.pct_change),
          e.sandwich_ci_low === null ? '–' : `${f(e.sandwich_ci_low, 3)} to ${f(e.sandwich_ci_high, 3)}`,
          e.per_shown_estimate === null ? '' : f(e.per_shown_estimate, 3),
          e.participants,
          e.decision_points,
        ]),
      ),
      '',
      '`before_after_only` is the figure earlier versions reported (speed after a frame vs before it, with no comparison moments). ' +
        'It is biased by how moments are picked and by trends within sessions, and is shown only so earlier reports can be compared; do not interpret it as the pause effect.',
      '',
    );
    if (r.counts) {
      const ex = Object.entries(r.counts.exclusions)
        .filter(([, n]) => n)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      lines.push(
        `Decision points: ${r.counts.rows} logged, ${r.counts.included} with an outcome${ex ? `; left out: ${ex}` : ''}; ${r.counts.overlapping} overlap the previous one's window.`,
        '',
      );
    }
    lines.push('### Methods (to adapt)', '');
    lines.push(
      `At each decision point (a moment a frame was due) the extension showed the frame with a known probability p_show and logged the moment either way. ` +
        `The proximal outcome was y = ln((v_after + c) / (v_before + c)), with v the scroll speed in the window before and after the decision point, in px/s where the page scrolls (c = ${o.outcome.offsetPxS} px/s) and posts/min otherwise (c = ${o.outcome.offsetPostsMin} posts/min). ` +
        `Decision points that were unavailable, censored or without scrolling before were left out. ` +
        `The causal excursion effect of showing vs withholding was estimated by weighted and centred least squares (Boruvka et al., 2018) over decision points with 0 < p_show < 1, ` +
        `${o.controls === 'log-before' ? 'with ln(v_before + c) as control covariate, ' : 'with an intercept only, '}` +
        `treatment centred at p̃ = the mean p_show and weights (p̃/p)^A((1 − p̃)/(1 − p))^(1 − A). ` +
        `Arms randomised between participants with p_show = 0 and p_show > 0 were compared by least squares on their decision points with the same control. ` +
        `95 % confidence intervals are percentiles of a participant-clustered bootstrap (${o.bootstrap.reps} replicates, seed ${o.bootstrap.seed}, participants resampled within arms); ` +
        `cluster-robust sandwich (CR1) intervals with t(G − 1) are reported alongside.`,
      '',
    );
  }

  if (r.arms.length) {
    lines.push('## Per arm (each participant counts once; mean and 95 % CI)', '');
    lines.push(
      table(
        ['measure', 'arm', 'participants', 'mean', '95 % CI'],
        r.arms.map((a) => [`${a.measure} (${a.unit})`, a.arm, a.participants, f(a.mean), a.ci_low === null ? '–' : `${f(a.ci_low)} to ${f(a.ci_high)}`]),
      ),
      '',
    );
  }
  if (r.attrition.length) {
    const days = [...new Set(r.attrition.map((a) => Number(a.study_day)))];
    const pick = [...new Set([1, 7, 14, 28, days[days.length - 1]].filter((d) => days.includes(d)))];
    lines.push('## Attrition (participants with data on or after day d)', '');
    const arms = [...new Set(r.attrition.map((a) => a.arm))];
    lines.push(
      table(
        ['arm', ...pick.map((d) => `day ${d}`)],
        arms.map((arm) => [
          arm,
          ...pick.map((d) => {
            const a = r.attrition.find((x) => x.arm === arm && Number(x.study_day) === d);
            return a ? `${int(a.retained)} / ${int(a.enrolled)}` : '–';
          }),
        ]),
      ),
      '',
    );
  }
  if (r.compliance.length) {
    lines.push('## Compliance', '');
    lines.push(
      table(
        ['arm', 'participants', 'available / logged', 'shown / expected (Σ p_show)', 'censored shown / withheld', 'frames seen', 'answers / offered'],
        r.compliance.map((c) => [
          c.arm,
          int(c.participants),
          c.decision_points === undefined ? '–' : `${int(c.available_points)} / ${int(c.decision_points)}`,
          c.shown === undefined ? '–' : `${int(c.shown)} / ${f(c.shown_expected, 1)}`,
          c.censored_share_shown === undefined
            ? '–'
            : `${pct(c.censored_share_shown === null ? null : c.censored_share_shown * 100).replace('+', '')} / ${pct(c.censored_share_withheld === null ? null : c.censored_share_withheld * 100).replace('+', '')}`,
          c.share_seen === undefined || c.share_seen === null ? '–' : `${f(c.share_seen * 100, 0)} %`,
          c.survey_answers === undefined ? '–' : `${int(c.survey_answers)} / ${int(c.survey_offered)}`,
        ]),
      ),
      '',
      'Censoring that differs between shown and withheld decision points would bias the effect: check that the two shares are close.',
      '',
    );
  }
  if (r.allocation?.length) {
    const bad = r.allocation.filter((a) => !a.ok);
    lines.push(
      '## Allocation check (--protocol)',
      '',
      bad.length
        ? `${bad.length} of ${r.allocation.length} exports do not match the canonical protocol (allocation.csv).`
        : `All ${r.allocation.length} exports match the canonical protocol and recomputed allocation.`,
      '',
    );
  }
  if (superseded.length || refused.length) {
    lines.push('## Files not used', '');
    for (const x of refused) lines.push(`- ${basename(x.file)}: ${x.problems.join('; ')}`);
    for (const x of superseded) lines.push(`- ${basename(x.file)}: superseded by ${basename(x.superseded_by)}`);
    lines.push('');
  }
  lines.push(
    '## Files',
    '',
    'CSV (and Parquet beside each): `participant_summary`, `arms`, `effects`, `decision_points`, `attrition`, `compliance`, `files`' +
      (r.allocation?.length ? ', `allocation`' : '') +
      '; every export table merged in `merged/`. Columns: docs/STUDY.md.',
    '',
  );
  return lines.join('\n');
}
