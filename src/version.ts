/** The software version, reported in status, OpenAPI and the coinbase text. Kept equal to package.json's. */
export const VERSION = '0.1.0';
