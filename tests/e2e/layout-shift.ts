/**
 * Records, from the page's own world, layout shifts we caused: a shift within half a second of a
 * frame's insertion that moved that frame or a POST after it (an element holding a fixture's
 * "Post N" label) — what a reader would notice. Shifts the page makes itself are not ours: its
 * own loading above, and its loaders and spinners moving as it appends (RES's indicator below
 * old Reddit's table moves down with every page it adds).
 */
export const WATCH_POST_SHIFTS = () => {
  const w = window as any;
  w.__postShifts = [];
  w.__inserts = 0;
  const recent: Array<{ t: number; host: Element }> = [];
  new MutationObserver((recs) => {
    for (const r of recs)
      for (const n of Array.from(r.addedNodes)) {
        const el = n as Element;
        if (el.nodeType !== 1) continue;
        const host = el.localName === 'stillframe-pause' ? el : el.querySelector?.('stillframe-pause');
        if (host) {
          w.__inserts++;
          recent.push({ t: performance.now(), host });
        }
      }
  }).observe(document, { childList: true, subtree: true });
  const isPost = (node: Node) => {
    const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
    return !!el && (el.localName === 'stillframe-pause' || /Post \d+/.test(el.textContent ?? ''));
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as any[]) {
      if (e.hadRecentInput || !(e.value > 0)) continue;
      for (const { t, host } of recent) {
        if (e.startTime < t || e.startTime - t > 500) continue;
        // A frame the page has since removed (it navigated away) moved nothing: and for a node out
        // of the document, "follows" is arbitrary (compareDocumentPosition), not the page's order.
        if (!host.isConnected) continue;
        const moved = (e.sources ?? []).filter(
          (src: any) =>
            src.node &&
            isPost(src.node) &&
            (src.node === host || host.contains(src.node) || host.compareDocumentPosition(src.node) & Node.DOCUMENT_POSITION_FOLLOWING),
        );
        if (moved.length)
          w.__postShifts.push({
            t: Math.round(e.startTime),
            v: e.value,
            y: moved.map((s: any) => `${Math.round(s.previousRect.y)}->${Math.round(s.currentRect.y)}`).join(' '),
          });
      }
    }
  }).observe({ type: 'layout-shift', buffered: true });
};
