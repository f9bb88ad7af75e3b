import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import type { DocumentNode } from 'graphql';

/**
 * The dashboard sends the SHA-256 codegen gave each of its operations (embedded in the typed
 * document, listed in persisted-documents.json), never the operation's text, as a GET: the
 * gateway runs exactly the safelisted document, and HTTP caches can keep the answer. A hash
 * the gateway does not know is an error, not a cue to send the text.
 */
export function persistedOperations(): PersistedQueryLink {
  return new PersistedQueryLink({
    generateHash: (document: DocumentNode) => {
      const hash = (document as DocumentNode & { __meta__?: { hash?: string } }).__meta__?.hash;
      if (!hash) throw new Error('a dashboard operation has no persisted hash: run npm run codegen');
      return hash.replace(/^sha256:/, '');
    },
    useGETForHashedQueries: true,
    retry: () => false,
    disable: () => false,
  });
}
