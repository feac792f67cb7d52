// libp2p's dependencies call Promise.withResolvers (Node 22); load the polyfill for every test.
import '../src/polyfill.js';
