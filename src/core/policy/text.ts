// The text form of a policy (docs/protocol.md, "Policy encoding"): canonical printing, and a parser that
// also takes upper-case hex and spaces around arguments. Errors name what is wrong and the character
// where (character 1 is the first).
import { fromHex, toHex } from '../bytes.js';
import { MAX_POLICY_DEPTH } from '../params.js';
import { encodePolicy } from './codec.js';
import { afterProblem, arityProblem, badPolicy, duplicateKeyProblem, olderProblem } from './limits.js';
import { MAX_POLICY_ARITY, POLICY_KEY_SIZE, type Policy } from './types.js';

/** The canonical text: lower-case hex, decimal numbers, `,` between arguments, no spaces. */
export function policyText(policy: Policy): string {
  switch (policy.type) {
    case 'pk':
      return `pk(${toHex(policy.key)})`;
    case 'sha256':
      return `sha256(${toHex(policy.hash)})`;
    case 'after':
    case 'older':
      return `${policy.type}(${policy.n})`;
    case 'multi':
      return `multi(${policy.k},${policy.keys.map(toHex).join(',')})`;
    case 'thresh':
      return `thresh(${policy.k},${policy.subs.map(policyText).join(',')})`;
    case 'and':
    case 'or':
      return `${policy.type}(${policyText(policy.subs[0])},${policyText(policy.subs[1])})`;
  }
}

const NAME = /[a-z0-9]/;
const DIGIT = /[0-9]/;
const HEX = /[0-9a-fA-F]/;
const HEX_DIGITS = POLICY_KEY_SIZE * 2;

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** "character 5" for the current position (or `at`). */
  private where(at = this.pos): string {
    return `character ${at + 1}`;
  }

  private found(): string {
    return this.pos < this.text.length
      ? `unexpected ${JSON.stringify(this.text[this.pos])} at ${this.where()}`
      : `unexpected end of text at ${this.where()}`;
  }

  skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  rest(): never {
    throw badPolicy(`${this.found()} after the policy`);
  }

  private run(pattern: RegExp): string {
    const start = this.pos;
    while (this.pos < this.text.length && pattern.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private expect(ch: string, context: string): void {
    if (this.text[this.pos] !== ch) throw badPolicy(`${context}: ${this.found()} (expected "${ch}")`);
    this.pos++;
  }

  /** After an argument: "," (true) or ")" (false), with spaces either side of it. */
  private separator(context: string): boolean {
    this.skipSpaces();
    const ch = this.text[this.pos];
    if (ch !== ',' && ch !== ')') throw badPolicy(`${context}: ${this.found()} (expected "," or ")")`);
    this.pos++;
    if (ch === ',') this.skipSpaces();
    return ch === ',';
  }

  private number(context: string): number {
    const start = this.pos;
    const digits = this.run(DIGIT);
    if (digits === '') throw badPolicy(`${context}: ${this.found()} (expected a number)`);
    if (digits.length > 1 && digits[0] === '0') {
      throw badPolicy(`${context}: the number ${digits} at ${this.where(start)} has a leading zero`);
    }
    if (digits.length > 15) throw badPolicy(`${context}: the number at ${this.where(start)} is too large`);
    return Number(digits);
  }

  private bytes32(what: string, context: string): Uint8Array {
    const start = this.pos;
    const hex = this.run(HEX);
    if (hex === '') throw badPolicy(`${context}: ${this.found()} (expected ${what} in hex)`);
    if (hex.length !== HEX_DIGITS) {
      throw badPolicy(
        `${context}: ${what} at ${this.where(start)} has ${hex.length} hex digits, not ${HEX_DIGITS}`,
      );
    }
    return fromHex(hex);
  }

  /** One fragment at nesting level `level` (the top fragment is level 1). */
  fragment(level: number): Policy {
    const start = this.pos;
    if (level > MAX_POLICY_DEPTH)
      throw badPolicy(`nesting deeper than ${MAX_POLICY_DEPTH} at ${this.where()}`);
    const name = this.run(NAME);
    if (name === '') throw badPolicy(`${this.found()} (expected a fragment)`);
    const context = `${name} at ${this.where(start)}`;
    const check = (problem: string | undefined): void => {
      if (problem) throw badPolicy(`${context}: ${problem}`);
    };
    switch (name) {
      case 'pk':
      case 'sha256': {
        this.open(context);
        const bytes = this.bytes32(name === 'pk' ? 'a key' : 'a hash', context);
        this.close(context);
        return name === 'pk' ? { type: 'pk', key: bytes } : { type: 'sha256', hash: bytes };
      }
      case 'after':
      case 'older': {
        this.open(context);
        const n = this.number(context);
        this.close(context);
        check(name === 'after' ? afterProblem(n) : olderProblem(n));
        return { type: name, n };
      }
      case 'multi': {
        this.open(context);
        const k = this.number(context);
        const keys: Uint8Array[] = [];
        while (this.separator(context)) {
          check(keys.length === MAX_POLICY_ARITY ? `more than ${MAX_POLICY_ARITY} keys` : undefined);
          keys.push(this.bytes32('a key', context));
        }
        check(arityProblem(k, keys.length) ?? duplicateKeyProblem(keys));
        return { type: 'multi', k, keys };
      }
      case 'thresh': {
        this.open(context);
        const k = this.number(context);
        const subs: Policy[] = [];
        while (this.separator(context)) {
          check(subs.length === MAX_POLICY_ARITY ? `more than ${MAX_POLICY_ARITY} sub-policies` : undefined);
          subs.push(this.fragment(level + 1));
        }
        check(arityProblem(k, subs.length));
        return { type: 'thresh', k, subs };
      }
      case 'and':
      case 'or': {
        this.open(context);
        const x = this.fragment(level + 1);
        this.skipSpaces();
        this.expect(',', context);
        this.skipSpaces();
        const y = this.fragment(level + 1);
        this.close(context);
        return { type: name, subs: [x, y] };
      }
      default:
        throw badPolicy(`unknown fragment "${name}" at ${this.where(start)}`);
    }
  }

  private open(context: string): void {
    this.expect('(', context);
    this.skipSpaces();
  }

  private close(context: string): void {
    this.skipSpaces();
    this.expect(')', context);
  }
}

/**
 * Parses the text form; throws bad-policy naming what is wrong and where (policy-too-large for a policy
 * whose encoding would pass MAX_POLICY_SIZE). Linear in the text; recursion stops at MAX_POLICY_DEPTH.
 */
export function parsePolicy(text: string): Policy {
  const parser = new Parser(text);
  parser.skipSpaces();
  const policy = parser.fragment(1);
  parser.skipSpaces();
  if (!parser.atEnd()) parser.rest();
  encodePolicy(policy); // the size limit, and the same checks the binary form gets
  return policy;
}
