import type { Frame, Page } from 'playwright-core';

/** Milliseconds from navigation start until GraphiQL's editor, then its schema, were ready. */
export type ExplorerReady = { editor: number; schema: number };

/**
 * Watches, from the page's first script on, for the moment the query editor takes input: its
 * Monaco text area is in the page, its lines are drawn and the run button can be pressed.
 * (Not the example query's text: on a reload GraphiQL 5 shows the stored tab with an empty
 * editor, a bug of its own.) Then for the schema: the docs explorer lists the root types (introspection
 * answered). Each is stamped with `performance.now()`, whose origin is navigation start, on
 * every animation frame, so a stamp is late by at most one frame, and marked (`performance.mark`,
 * `explorer-editor-ready` / `explorer-schema-ready`) for a trace to find. Call before `page.goto`.
 */
export async function watchExplorerReady(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
  await page.addInitScript({ content: READY_PROBE });
}

const READY_PROBE = `(() => {
  const stamps = {};
  window.__explorerReady = stamps;
  const check = () => {
    if (stamps.editor === undefined) {
      const input = document.querySelector('.graphiql-query-editor .monaco-editor textarea');
      const drawn = document.querySelector('.graphiql-query-editor .view-lines');
      const run = document.querySelector('.graphiql-execute-button');
      if (input && drawn && run && !run.disabled) {
        stamps.editor = performance.now();
        performance.mark('explorer-editor-ready');
      }
    }
    if (stamps.editor !== undefined && stamps.schema === undefined) {
      const docs = document.querySelector('.graphiql-doc-explorer-content')?.textContent ?? '';
      if (docs.includes('Root Types')) {
        stamps.schema = performance.now();
        performance.mark('explorer-schema-ready');
      }
    }
    if (stamps.schema === undefined) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

/** Waits (on no clock of its own) for the stamps `watchExplorerReady` set up, in a page or a frame. */
export async function explorerReady(page: Page | Frame, timeout = 60_000): Promise<ExplorerReady> {
  const handle = await page.waitForFunction(
    () => {
      const stamps = (window as unknown as { __explorerReady?: Record<string, number> }).__explorerReady;
      return stamps?.editor !== undefined && stamps.schema !== undefined ? stamps : null;
    },
    undefined,
    { timeout, polling: 100 },
  );
  return (await handle.jsonValue()) as ExplorerReady;
}
