// Building blocks of the API's JSON schemas. Every object lists all of its fields and forbids others:
// Fastify's serializer drops unknown fields anyway, and the strict form lets tests catch a field that a
// view sends but the schema forgot (it would be dropped silently on the wire).
import { type ObjectOptions, type TProperties, type TSchema, Type } from '@sinclair/typebox';

export const Obj = <T extends TProperties>(properties: T, options: ObjectOptions = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) =>
  Type.Union([schema, Type.Null()], options);

/** Amounts are decimal strings of base units: a JSON number would lose precision past 2^53. */
export const Units = Type.String({ pattern: '^-?[0-9]+$', description: 'base units, a decimal string' });

export const Hash = Type.String({ pattern: '^[0-9a-f]{64}$', description: '32 bytes in hex' });

export const Hex = Type.String({ pattern: '^([0-9a-f]{2})*$' });

export const Height = Type.Integer();

export const ErrorSchema = Obj({
  error: Type.String({ description: 'a stable code, e.g. a consensus rule code' }),
  message: Type.String(),
});
