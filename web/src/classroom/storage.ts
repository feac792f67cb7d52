// The class this browser joined, and the student's classroom wallet, in localStorage.
//
// The wallet is a classroom wallet: its recovery phrase is kept UNENCRYPTED under the class network id, so
// a reload resumes the same address without a password. The join page says so; it holds play money of
// one class's network, never the main wallet (which web/src/wallet keeps encrypted).

import { networkIdProblem } from '../../../src/core/network-id.js';
import { generateMnemonic, validateMnemonic } from '../../../src/crypto/mnemonic.js';
import { type JoinLink, multiaddrProblem, nameProblem } from './link.js';

export const CLASS_KEY = 'hashline.class.v1';
export const classWalletKey = (net: string): string => `hashline.class-wallet.v1.${net}`;

/** The joined class: the link's contents and the student's name. */
export interface StoredClass extends JoinLink {
  readonly version: 1;
  readonly name: string;
  readonly joinedAt: string;
}

/** The part of Storage used here (localStorage in the page, a Map in tests). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function parseStoredClass(value: unknown): StoredClass | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  if (c.version !== 1 || typeof c.net !== 'string' || networkIdProblem(c.net)) return null;
  if (typeof c.key !== 'string' || !/^[0-9a-f]{64}$/.test(c.key)) return null;
  if (typeof c.name !== 'string' || nameProblem(c.name)) return null;
  if (!Array.isArray(c.peers) || c.peers.length === 0) return null;
  if (!c.peers.every((p) => typeof p === 'string' && multiaddrProblem(p) === undefined)) return null;
  return {
    version: 1,
    net: c.net,
    key: c.key,
    peers: c.peers as string[],
    name: c.name,
    joinedAt: typeof c.joinedAt === 'string' ? c.joinedAt : '',
  };
}

export function loadClass(storage: KeyValueStorage): StoredClass | null {
  const raw = storage.getItem(CLASS_KEY);
  if (!raw) return null;
  try {
    return parseStoredClass(JSON.parse(raw));
  } catch {
    return null;
  }
}

export function saveClass(storage: KeyValueStorage, cls: StoredClass): void {
  storage.setItem(CLASS_KEY, JSON.stringify(cls));
}

/** The class's wallet phrase, created (12 words) on first use. */
export function classMnemonic(storage: KeyValueStorage, net: string): string {
  const existing = storage.getItem(classWalletKey(net));
  if (existing && validateMnemonic(existing)) return existing;
  const mnemonic = generateMnemonic(12);
  storage.setItem(classWalletKey(net), mnemonic);
  return mnemonic;
}

/** Joins a class from a checked link and name: stores both and the class's wallet phrase. */
export function joinClass(
  storage: KeyValueStorage,
  link: JoinLink,
  name: string,
  now = new Date(),
): StoredClass {
  const problem = nameProblem(name);
  if (problem) throw new Error(problem);
  const cls: StoredClass = { version: 1, ...link, name: name.trim(), joinedAt: now.toISOString() };
  classMnemonic(storage, link.net);
  saveClass(storage, cls);
  return cls;
}

/**
 * The class moved to network `net` (the teacher's reset): the stored class follows, and the wallet phrase
 * is carried over so the student keeps the same address on the new chain.
 */
export function moveClass(storage: KeyValueStorage, cls: StoredClass, net: string): StoredClass {
  const problem = networkIdProblem(net);
  if (problem) throw new Error(problem);
  if (!storage.getItem(classWalletKey(net)))
    storage.setItem(classWalletKey(net), classMnemonic(storage, cls.net));
  const moved: StoredClass = { ...cls, net };
  saveClass(storage, moved);
  return moved;
}
