// The JSON body parser: Fastify's own (which refuses __proto__ and constructor keys), behind a scan
// that refuses nesting beyond a small depth and turns every number written with a fraction or an
// exponent into a string, so `1.0` or `1e3` can never pass for an integer amount (JSON.parse alone
// would make both the integer they equal).
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

/** No route takes more than a list inside an object; a generous margin above that. */
export const MAX_JSON_DEPTH = 8;

const NUMBER_CHAR = /[-+0-9.eE]/;

/**
 * The index of the quote closing the string that opens at `open` (text.length when none does): the next
 * quote not escaped by an odd run of backslashes. indexOf skips a long string (a block's hex) at native
 * speed, where a loop over its characters would not.
 */
function stringEnd(text: string, open: number): number {
  for (let q = text.indexOf('"', open + 1); q !== -1; q = text.indexOf('"', q + 1)) {
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) return q;
  }
  return text.length;
}

/** Returns the text to parse: the same, or with non-integer number literals quoted. Throws when too deep. */
export function scanJson(text: string, maxDepth = MAX_JSON_DEPTH): string {
  let depth = 0;
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i = stringEnd(text, i);
    } else if (c === '[' || c === '{') {
      if (++depth > maxDepth) {
        throw new ApiError(400, 'too-deep', `JSON bodies may nest at most ${maxDepth} levels`);
      }
    } else if (c === ']' || c === '}') {
      depth--;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && NUMBER_CHAR.test(text[j]!)) j++;
      const literal = text.slice(i, j);
      if (/[.eE]/.test(literal)) {
        out += `${text.slice(copied, i)}"${literal}"`;
        copied = j;
      }
      i = j - 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

export function installJsonParser(app: FastifyInstance, bodyLimit: number): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    let text: string;
    try {
      text = scanJson(body as string);
    } catch (e) {
      done(e as Error, undefined);
      return;
    }
    parse(req, text, done);
  });
}
