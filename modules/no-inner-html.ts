import { addViteConfig, defineWxtModule } from 'wxt/modules';
import type { Plugin } from 'vite';

/**
 * Takes Preact's one HTML sink out of the bundle.
 *
 * Preact's renderer assigns `dom.innerHTML = props.dangerouslySetInnerHTML.__html`; it is the only
 * `innerHTML` assignment in what we ship, and `web-ext lint` (what addons.mozilla.org runs)
 * warns about it in every bundle that carries Preact. Stillframe builds all its UI from nodes and
 * text and never passes HTML, so the branch is dead code for us — but a reviewer cannot know
 * that. This rewrites the assignment into a throw: the lint report is clean, and if anyone ever
 * does reach for `dangerouslySetInnerHTML`, the first render that uses it fails loudly in the
 * tests instead of writing HTML into a page.
 *
 * If a Preact upgrade changes the shape of that line, the build fails here and says so, rather
 * than silently shipping the sink again (tests/e2e/packaging.spec.ts also lints for it).
 */
const SINK = /\((\w+)\.innerHTML=(\w+)\.__html\)/g;
const REFUSE = '(()=>{throw new Error("Stillframe: dangerouslySetInnerHTML is not allowed")})()';

export function preactWithoutInnerHtml(): Plugin {
  return {
    name: 'stillframe:preact-without-inner-html',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.m?js$/.test(id.split('?')[0])) return null;
      const found = code.match(SINK)?.length ?? 0;
      if (found !== 1) {
        throw new Error(
          `stillframe:preact-without-inner-html expected one innerHTML assignment in ${id}, found ${found}: ` +
            'Preact changed; update modules/no-inner-html.ts.',
        );
      }
      return { code: code.replace(SINK, REFUSE), map: null };
    },
  };
}

export default defineWxtModule({
  name: 'stillframe:no-inner-html',
  setup(wxt) {
    addViteConfig(wxt, () => ({ plugins: [preactWithoutInnerHtml()] }));
  },
});
