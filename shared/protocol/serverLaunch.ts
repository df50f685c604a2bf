/**
 * How the language server process is started, shared by the extension and the tests
 * and benchmarks that start it, so they measure what ships.
 */

/**
 * Node flags for the server. A small young generation keeps the resident size of a
 * server tracking a thousand journals well under 80 MB (the default semi-space lets it
 * grow to ~85 MB); the server's allocations are small and short-lived, so the extra
 * scavenges cost nothing measurable (see `npm run bench`).
 */
export const SERVER_NODE_FLAGS: string[] = ['--max-semi-space-size=2'];
