// The teacher's view of a class and its controls (src/classroom/README.md, "Teacher's view").
import { Type } from '@sinclair/typebox';
import { Hash, Height, Nullable, Obj, Units } from './common.js';

/** Largest control interval, in seconds (one block an hour per member). */
export const CLASS_MAX_INTERVAL_SECONDS = 3600;

const Group = Type.Union([Type.Literal('A'), Type.Literal('B')]);
const Mode = Type.Union([Type.Literal('together'), Type.Literal('split'), Type.Literal('race')]);

export const ClassStateSchema = Obj({
  seq: Type.Integer(),
  issuedAt: Type.Integer({ description: "teacher's clock, ms since the epoch" }),
  network: Type.String({ description: 'network tag, e.g. dev-class-7f3a1c2b' }),
  teacherPeer: Type.String({ description: "the teacher's node's libp2p peer id (in no group)" }),
  mining: Type.Boolean(),
  intervalSeconds: Type.Integer({ description: '0: mine continuously; S: one block per S seconds each' }),
  mode: Mode,
  groups: Type.Record(Type.String(), Group, { description: 'group by libp2p peer id; others are in A' }),
  resetTo: Nullable(Type.String(), { description: 'the network id the class moves to, when it moves' }),
});

export const ClassMemberSchema = Obj({
  peerId: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('browser'), Type.Literal('full'), Type.Literal('teacher')]),
  address: Type.String(),
  height: Height,
  tip: Type.String({ description: "the member's tip, as it reports it" }),
  agrees: Type.Boolean({ description: "its tip is the teacher's" }),
  hashRate: Type.Number(),
  balance: Units,
  blocksFound: Type.Integer({ description: "blocks of the teacher's active chain paying its address" }),
  mining: Type.Boolean(),
  group: Nullable(Group),
  lastSeen: Type.Integer({ description: 'when its last report came, ms since the epoch' }),
});

export const ClassTreeBlockSchema = Obj({
  hash: Hash,
  prev: Hash,
  height: Height,
  tipOf: Type.Array(Type.String(), { description: 'names of the members whose tip this is' }),
  minedBy: Nullable(Type.String(), { description: 'the member whose address the coinbase pays' }),
  main: Type.Boolean({ description: "on the teacher's active chain" }),
});

export const ClassViewSchema = Obj({
  network: Type.String(),
  networkId: Type.String(),
  joinUrl: Type.String(),
  joinQrSvg: Type.String({ description: 'the join URL as a QR code, an SVG document' }),
  teacherKey: Type.String({ description: "the teacher's Ed25519 public key, 64 hex" }),
  state: ClassStateSchema,
  members: Type.Array(ClassMemberSchema),
  tree: Type.Array(ClassTreeBlockSchema),
});

/** Types only: the ranges are checked by the handler, whose errors name the rule broken. */
export const ClassControlBody = Obj({
  mining: Type.Optional(Type.Boolean()),
  intervalSeconds: Type.Optional(
    Type.Number({ description: `whole seconds, 0..${CLASS_MAX_INTERVAL_SECONDS}` }),
  ),
  mode: Type.Optional(Mode),
  groups: Type.Optional(
    Type.Record(Type.String({ maxLength: 128 }), Group, {
      description: 'peer ids, each to A or B; at most CLASS_MAX_MEMBERS (64) of them',
    }),
  ),
  reset: Type.Optional(Type.String({ maxLength: 64, description: 'a network id to move the class to' })),
});
