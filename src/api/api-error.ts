// The one error of the HTTP API, on both sides: the server throws it to answer {error, message} with
// its status, and the typed client (client.ts) throws it for such an answer. No imports, so browsers
// and Node load it alike.

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** The HTTP status; 0 when no answer came (the node unreachable, or too slow). */
    readonly status: number,
    /** A stable code: a consensus rule code where one applies, else the API's own (`not-found`…). */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
