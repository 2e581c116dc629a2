/**
 * Every piece of text in the frame — a poem, a caption, a study's question, a button's label —
 * is drawn as CSS generated content (`.sf-t::before { content: attr(data-sf-text) }`, in
 * pause-frame-styles.ts), never as a text node.
 *
 * Why: the page cannot read our closed shadow root, but `window.find()` searches everything
 * rendered, shadow roots included, and answers true/false — a substring oracle that recovered a
 * private image caption in a fraction of a second (issue #19, Chromium and Firefox alike).
 * Measured in both browsers: generated content, `aria-label` text and an `inert` subtree are
 * not found; plain text and `user-select: none` text are. Generated content is the one of those
 * that stays on screen and in the accessibility tree (static text, and a button's name), so
 * screen readers and keyboard users lose nothing. The price: frame text cannot be selected or
 * copied, and the browser's own find-in-page does not find it either.
 *
 * An attribute value is never parsed as markup or CSS, so any text is safe here.
 */
export function T({ text, class: cls, lang }: { text: string; class?: string; lang?: string }) {
  return <span class={cls ? `sf-t ${cls}` : 'sf-t'} data-sf-text={text} lang={lang} />;
}
